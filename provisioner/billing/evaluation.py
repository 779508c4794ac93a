"""The provider's evaluation per region (art29: service response, satisfaction, quality); pure.

Service response is computed, not asked: the share of the provider's deadlines in the year
(policy `provider_rules`, by default art16 trial preparation and art18 changes) that were
met, from the ledger. Satisfaction and quality are the office's recorded inputs. The score
is their weighted sum (0-100); the factor comes from the policy's bands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from provisioner.billing.policy import EvaluationPolicy, RegionEvaluation, band_factor
from provisioner.billing.usage import year_bounds
from provisioner.metering.deadlines import BREACHED, MET, Outcome


@dataclass(frozen=True)
class RegionScore:
    region: str
    met: int
    breached: int
    service_response: Fraction
    satisfaction: Fraction
    quality: Fraction
    score: Fraction
    factor: Decimal
    source: str


def deadline_counts(outcomes: Iterable[Outcome], region: str, rules: Iterable[str], year: int) -> tuple[int, int]:
    start, end = year_bounds(year)
    wanted = set(rules)
    found = [o for o in outcomes if o.region == region and o.rule in wanted and start <= o.deadline < end]
    return sum(o.outcome == MET for o in found), sum(o.outcome == BREACHED for o in found)


def region_score(region: str, policy: EvaluationPolicy, recorded: RegionEvaluation, outcomes: Iterable[Outcome],
                 year: int) -> RegionScore:
    met, breached = deadline_counts(outcomes, region, policy.provider_rules, year)
    response = Fraction(100 * met, met + breached) if met + breached else Fraction(policy.no_deadlines_score)
    parts = {"service_response": response, "satisfaction": Fraction(recorded.satisfaction),
             "quality": Fraction(recorded.quality)}
    score = sum((Fraction(policy.weights[name]) * value for name, value in parts.items()), Fraction(0))
    factor = next(b.factor for b in policy.factors if score >= Fraction(b.at_least))
    return RegionScore(region, met, breached, response, parts["satisfaction"], parts["quality"], score, factor,
                       recorded.source)


__all__ = ["RegionScore", "band_factor", "deadline_counts", "region_score"]
