"""The yearly settlement, by hand-computed cases: prices x usage, trial free, pro rata, dated rates,
the formula's factors, the one rounding, and every kind of missing input stopping it (pure)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from provisioner.policy import files
from provisioner.billing.money import fee
from provisioner.billing.policy import EvaluationInputs, SettlementPolicy
from provisioner.billing.prices import PriceBook
from provisioner.billing.settlement import Inputs, Settlement, settle
from provisioner.metering.deadlines import BREACHED, MET, Outcome
from provisioner.metering.resources import Amounts
from provisioner.metering.timeline import PRODUCTION, TRIAL, Event, Generation, Names, Segment, Timeline, build
from tests.billing.helpers import local

ROOT = Path(__file__).resolve().parents[2]
POLICY = files.parse(SettlementPolicy, (ROOT / "policies/settlement.yaml").read_text(encoding="utf-8"), "s", "art30")

PRICES = """
year: 2026
contract: test
items:
  - {id: vcpu, service: compute, resource: cores, per: hour, title: vCPU, title_en: vCPU,
     rates: [{price: "0.10", valid_from: 2026-01-01, valid_to: 2026-06-30},
             {price: "0.08", valid_from: 2026-07-01, valid_to: 2026-12-31}]}
  - {id: disk, service: volumev3, resource: capacity, per: month, title: 块存储, title_en: block,
     rates: [{price: "0.60", valid_from: 2026-01-01, valid_to: 2026-12-31},
             {price: "0.50", valid_from: 2026-01-01, valid_to: 2026-12-31, regions: [xiushui]}]}
"""
BOOK = files.parse(PriceBook, PRICES, "prices.yaml", "art28")
EVALUATION = EvaluationInputs.model_validate({"year": 2026, "regions": {
    "city": {"satisfaction": "95", "quality": "95", "source": "测评"},
    "xiushui": {"satisfaction": "80", "quality": "80", "source": "测评"}}})


def allocation(cores: int = 0, disk: int = 0) -> Amounts:
    values = {k: Fraction(v) for k, v in (("compute/cores", cores), ("volumev3/capacity", disk)) if v}
    return Amounts(values)


def timeline(key: str, *segments: tuple[str, datetime, datetime | None, Amounts]) -> Timeline:
    region, department, system = key.split(".")
    gen = Generation(key, 1, region, department, system, f"R-{system}", "production")
    return Timeline(gen, tuple(Segment(start, end, phase, amounts, gen.request_id)
                               for phase, start, end, amounts in segments))


def full_utilisation(keys: list[str], ratio: float = 1.0, months: range = range(1, 13)) -> dict:
    kinds = {"compute/cores": [1000.0, 1000.0 * ratio], "volumev3/capacity": [1000.0, 1000.0 * ratio]}
    return {date(2026, m, 1): {k: kinds for k in keys} for m in months}


def run(*lines: Timeline, utilisation: dict | None = None, prices: PriceBook | None = BOOK,
        evaluation: EvaluationInputs | None = EVALUATION, outcomes: list[Outcome] | None = None,
        now: datetime | None = None) -> Settlement:
    keys = [t.key for t in lines]
    return settle(Inputs(2026, list(lines), {k: Names(f"单位 {k}", f"系统 {k}") for k in keys}, prices, POLICY,
                         evaluation, outcomes or [], full_utilisation(keys) if utilisation is None else utilisation,
                         now))


def test_march_at_four_cores_costs_four_times_the_hours_of_march() -> None:
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 3, 1), local(2026, 4, 1), allocation(cores=4))))
    (bill,) = s.systems()
    assert bill.cost == Fraction("0.10") * 4 * 31 * 24 == Fraction("297.6")
    assert bill.fee == Decimal("297.60") and s.complete


def test_trial_time_is_listed_but_free() -> None:
    s = run(timeline("city.d1.s1", (TRIAL, local(2026, 2, 1), local(2026, 2, 16), allocation(cores=2)),
                     (PRODUCTION, local(2026, 2, 16), local(2026, 3, 1), allocation(cores=2))))
    (bill,) = s.systems()
    trial = [l for l in bill.lines if l.phase == TRIAL]
    assert [(l.quantity, l.amount, l.unit_price) for l in trial] == [(2 * 15 * 24, 0, None)]
    assert bill.cost == Fraction("0.10") * 2 * 13 * 24


def test_a_mid_year_price_change_splits_the_usage_at_its_first_day() -> None:
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 6, 30), local(2026, 7, 2), allocation(cores=1))))
    (bill,) = s.systems()
    assert [(l.month, l.unit_price, l.quantity) for l in bill.lines] == [
        (date(2026, 6, 1), Decimal("0.10"), 24), (date(2026, 7, 1), Decimal("0.08"), 24)]
    assert bill.cost == Fraction("0.10") * 24 + Fraction("0.08") * 24


def test_a_change_and_an_end_mid_month_are_pro_rata_per_calendar_month() -> None:
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 4, 1), local(2026, 4, 11), allocation(disk=300)),
                     (PRODUCTION, local(2026, 4, 11), local(2026, 4, 16), allocation(disk=600))))
    (bill,) = s.systems()
    # April has 30 days: 300 GB for 10 days and 600 GB for 5 days, at 0.60 per GB-month
    assert bill.cost == Fraction("0.60") * (300 * Fraction(10, 30) + 600 * Fraction(5, 30)) == 120


def test_a_county_pays_its_own_contract_price() -> None:
    s = run(timeline("xiushui.d1.s1", (PRODUCTION, local(2026, 5, 1), local(2026, 6, 1), allocation(disk=100))),
            timeline("city.d1.s1", (PRODUCTION, local(2026, 5, 1), local(2026, 6, 1), allocation(disk=100))))
    costs = {b.region: b.cost for b in s.systems()}
    assert costs == {"xiushui": 50, "city": 60}
    assert [r.region for r in s.regions] == ["city", "xiushui"]


def test_a_year_in_progress_is_counted_up_to_now_and_said_to_be_provisional() -> None:
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 11, 1), None, allocation(cores=1))),
            utilisation=full_utilisation(["city.d1.s1"], months=range(11, 12)), now=local(2026, 11, 2))
    assert s.systems()[0].cost == Fraction("0.08") * 24 and s.until == local(2026, 11, 2)


def test_evaluation_and_utilisation_factors_apply_and_the_fee_is_rounded_once() -> None:
    outcomes = [Outcome("city.d1.s1", "city", "d1", "art16-prepare", local(2026, 3, 3), MET)] * 3 + \
               [Outcome("city.d1.s1", "city", "d1", "art18", local(2026, 5, 3), BREACHED)]
    # 7 hours x 1 core x 0.10 = 0.70; utilisation 20% -> factor 0.90; city score:
    # 0.4 x 75 (3 of 4 deadlines) + 0.3 x 95 + 0.3 x 95 = 87 -> factor 0.97
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 3, 1), local(2026, 3, 1, 7), allocation(cores=1))),
            utilisation=full_utilisation(["city.d1.s1"], ratio=0.2), outcomes=outcomes)
    (region,) = s.regions
    assert (region.evaluation.met, region.evaluation.breached, region.evaluation.score) == (3, 1, 87)
    (bill,) = s.systems()
    assert (bill.utilisation, bill.utilisation_factor, bill.evaluation_factor) == \
        (Fraction(1, 5), Decimal("0.90"), Decimal("0.97"))
    assert bill.fee == fee(Fraction("0.70") * Fraction("0.90") * Fraction("0.97")) == Decimal("0.61")  # 0.6111


@pytest.mark.parametrize(("amount", "rounded"), [
    (Fraction("2.345"), Decimal("2.35")), (Fraction("2.3449999"), Decimal("2.34")), (Fraction(1, 200), Decimal("0.01")),
    (Fraction(1, 201), Decimal("0.00")), (Fraction("1234567.895"), Decimal("1234567.90"))])
def test_the_one_rounding_is_half_up_to_the_cent(amount: Fraction, rounded: Decimal) -> None:
    assert fee(amount) == rounded


def test_totals_are_sums_of_rounded_fees_so_the_csv_adds_up() -> None:
    # three systems of 1/3 hour at 0.10: each 0.0333.. -> 0.03; department total 0.09, not round(0.1) = 0.10
    lines = [timeline(f"city.d1.s{i}", (PRODUCTION, local(2026, 3, 1), local(2026, 3, 1, 0, 20), allocation(cores=1)))
             for i in range(3)]
    s = run(*lines)
    assert [b.fee for b in s.systems()] == [Decimal("0.03")] * 3
    assert s.regions[0].departments[0].fee == Decimal("0.09") == s.fee


def test_cost_weighted_utilisation_over_the_kinds_measured() -> None:
    months = {date(2026, 3, 1): {"city.d1.s1": {"compute/cores": [100.0, 50.0], "volumev3/capacity": [100.0, 0.0]}}}
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 3, 1), local(2026, 4, 1), allocation(cores=1, disk=62))),
            utilisation=months)
    (bill,) = s.systems()
    cores, disk = bill.cost_by_kind["compute/cores"], bill.cost_by_kind["volumev3/capacity"]
    assert (cores, disk) == (Fraction("74.4"), Fraction("37.2"))          # 744 h x 0.10; 62 GB x 0.60
    assert bill.utilisation == (cores * Fraction(1, 2) + disk * 0) / (cores + disk) == Fraction(1, 3)


def test_negative_use_counts_as_none_and_still_gets_the_lowest_band() -> None:
    # A source that saw less than nothing (e.g. Nova's usage of a window past its clock) must not
    # stop the bill: a system used for less than none of its grant was used for none of it.
    months = {date(2026, 3, 1): {"city.d1.s1": {"compute/cores": [100.0, -40.0]}}}
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 3, 1), local(2026, 4, 1), allocation(cores=1))),
            utilisation=months)
    (bill,) = s.systems()
    assert bill.utilisation == 0
    assert bill.utilisation_factor == POLICY.utilisation.factors[-1].factor


def _missing(s: Settlement) -> list[tuple[str, str, str]]:
    return [(m.what, m.subject, m.period) for m in s.missing]


def test_nothing_is_billed_at_zero_by_omission() -> None:
    ram = Amounts({"compute/ram": Fraction(8), "compute/cores": Fraction(2)})
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 3, 10), local(2026, 3, 20), ram)),
            timeline("lushan.d2.s2", (PRODUCTION, local(2026, 5, 1), local(2026, 7, 1), allocation(cores=1))),
            utilisation={date(2026, 3, 1): full_utilisation(["city.d1.s1"])[date(2026, 3, 1)]})
    assert not s.complete
    assert _missing(s) == [("evaluation", "lushan", "2026"),
                           ("price", "compute/ram@city", "2026-03-10..2026-03-19"),
                           ("utilisation", "lushan.d2.s2", "2026-05-01..2026-05-31"),
                           ("utilisation", "lushan.d2.s2", "2026-06-01..2026-06-30")]


def test_a_region_that_held_only_free_trials_needs_no_evaluation_but_one_in_production_does() -> None:
    """art16, art29: the evaluation factor scales production cost; a county whose systems were all in their
    free trial this year owes nothing, so its missing evaluation stops nobody's bill. An unpriced production
    piece still asks for the county's evaluation (the bill is stopped by its price too)."""
    trial_only = timeline("lushan.d2.s2", (TRIAL, local(2026, 12, 1), local(2026, 12, 16), allocation(cores=2)))
    s = run(timeline("city.d1.s1", (PRODUCTION, local(2026, 3, 1), local(2026, 4, 1), allocation(cores=1))),
            trial_only)
    assert s.complete, _missing(s)
    (region,) = [r for r in s.regions if r.region == "lushan"]
    assert region.evaluation is None and region.fee == Decimal("0.00")
    ram = Amounts({"compute/ram": Fraction(8)})
    s = run(trial_only, timeline("lushan.d3.s3", (PRODUCTION, local(2026, 5, 1), local(2026, 5, 2), ram)))
    assert ("evaluation", "lushan", "2026") in _missing(s) and not s.complete


def test_no_price_catalogue_and_an_unsized_generation_stop_it_too() -> None:
    broken = Timeline(Generation("city.d1.s1", 1, "city", "d1", "s1", "R1", "production"),
                      (Segment(local(2026, 3, 1), None, PRODUCTION, allocation(cores=1), "R1"),),
                      ("unknown-flavor:gc.c64m512",))
    s = run(broken, prices=None)
    assert ("prices-file", "policies/prices/2026.yaml", "2026") in _missing(s)
    assert ("allocation", "city.d1.s1#1", "2026") in _missing(s)



def test_a_segment_that_cannot_be_sized_stops_only_the_settlement_of_its_year() -> None:
    """art28: a year's bill is that year's use. A generation live since 2025 on a flavor since taken out of
    the catalogue, changed in December 2025: its 2026 bill is the change's size, and the unsized 2025
    segment stops only a 2025 settlement."""
    gen = Generation("city.d1.s1", 1, "city", "d1", "s1", "R1", "production")
    events = [Event("promote_done", local(2025, 6, 1)),
              Event("apply_change_done", local(2025, 12, 1), {"request_id": "R2"})]
    line = build(gen, events, {"R1": Amounts({}, ("gc.c64m512",)), "R2": allocation(cores=1)}, {})
    s = run(line)
    assert s.complete and s.systems()[0].cost == Fraction("0.10") * 181 * 24 + Fraction("0.08") * 184 * 24
    assert [seg.problems for seg in line.segments] == [("unknown-flavor:gc.c64m512",), ()]
    s = settle(Inputs(2025, [line], {}, None, POLICY, EVALUATION, [], {}))
    assert ("allocation", "city.d1.s1#1", "2025") in _missing(s)

PURE = ["provisioner.billing." + m for m in ("money", "prices", "policy", "usage", "evaluation",
                                             "settlement", "crosscheck", "charts", "report", "messages")] + \
       ["provisioner.metering." + m for m in ("resources", "timeline", "deadlines", "utilisation", "snapshot",
                                              "collector")]


@pytest.mark.parametrize("module", PURE)
def test_the_maths_does_no_io(module: str) -> None:
    """Billing and metering maths import no database, cloud or HTTP client (I/O stays at the edges)."""
    import subprocess
    import sys
    probe = (f"import sys, {module}; print(sorted({{n.split('.')[0] for n in sys.modules}} & "
             "{'sqlalchemy', 'openstack', 'keystoneauth1', 'urllib3', 'requests', 'psycopg', 'alembic', 'boto3'}))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert found.stdout.strip() == "[]"
