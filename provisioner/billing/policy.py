"""The settlement formula's parameters (policies/settlement.yaml) and the evaluation inputs
recorded by the office (policies/evaluation/<year>.yaml); pure models.

    fee(system) = round( usage cost x evaluation factor(region) x utilisation factor(system) )

  usage cost           production usage x procured prices (trial free, art16)    [art28]
  evaluation factor    from the provider's score in the region (art29): a weighted sum of
                       service response (deadlines met, from the ledger), satisfaction and
                       quality (recorded inputs), looked up in `evaluation.factors`
  utilisation factor   from the system's utilisation rate (art30), cost-weighted over the
                       resource kinds the utilisation source measures, in `utilisation.factors`

Factor tables are bands: the first band (from the top) whose `at_least` the value reaches.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

COMPONENTS = ("service_response", "satisfaction", "quality")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_floats(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise ValueError(f"quote decimal numbers as strings (\"{value}\")")
        return value


class Band(_Strict):
    at_least: Decimal = Field(ge=0)
    factor: Decimal = Field(ge=0, le=2)


def _bands_ok(bands: list[Band], top: Decimal) -> list[Band]:
    thresholds = [b.at_least for b in bands]
    if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
        raise ValueError("bands must be listed from the highest at_least down, each once")
    if thresholds[-1] != 0:
        raise ValueError("the last band must start at 0, so every value has a factor")
    if thresholds[0] > top:
        raise ValueError(f"at_least cannot exceed {top}")
    return bands


class EvaluationPolicy(_Strict):
    weights: dict[Literal["service_response", "satisfaction", "quality"], Decimal]
    provider_rules: list[str] = Field(min_length=1, description="deadlines that are the provider's (art16, art18)")
    no_deadlines_score: Decimal = Field(ge=0, le=100, description="service response when no deadline came due")
    factors: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> EvaluationPolicy:
        if set(self.weights) != set(COMPONENTS) or sum(self.weights.values()) != 1:
            raise ValueError(f"weights must name {', '.join(COMPONENTS)} and add up to 1")
        _bands_ok(self.factors, Decimal(100))
        return self


class UtilisationPolicy(_Strict):
    factors: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> UtilisationPolicy:
        _bands_ok(self.factors, Decimal(1))
        return self


class CrossCheckPolicy(_Strict):
    tolerance: Decimal = Field(default=Decimal("0.01"), gt=0, lt=1, description="ledger vs Prometheus, relative")
    coverage_seconds: int = Field(default=900, ge=1, description="a Prometheus sample must be this close to a boundary")


class SettlementPolicy(_Strict):
    version: Literal[1]
    evaluation: EvaluationPolicy
    utilisation: UtilisationPolicy
    crosscheck: CrossCheckPolicy = Field(default_factory=CrossCheckPolicy)


class RegionEvaluation(_Strict):
    satisfaction: Decimal = Field(ge=0, le=100)
    quality: Decimal = Field(ge=0, le=100)
    source: str = Field(min_length=2, description="where the figures come from (survey, inspection report)")


class EvaluationInputs(_Strict):
    year: int
    regions: dict[str, RegionEvaluation]


def band_factor(bands: list[Band], value: Decimal) -> Decimal:
    return next(b.factor for b in bands if value >= b.at_least)
