"""The procured price catalogue, policies/prices/<year>.yaml (art28: "the procured unit prices").

One item per resource kind (provisioner.metering.resources: `service`/`resource`), priced
per unit and period (`per`: hour, day, month = the calendar month, year), with dated rates
like CloudKitty's rating rules: `valid_from`/`valid_to` are Asia/Shanghai days, both
included. A rate may name the `regions` whose contract it belongs to (art5: the city and
each county sign their own); a rate naming the region wins over one naming none. Prices are
quoted strings, read as Decimal: a YAML float is refused, it may already have lost a digit.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from provisioner.metering.resources import BY_KEY

PERIODS = ("hour", "day", "month", "year")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rate(_Strict):
    price: Decimal = Field(ge=0, description="yuan per unit and period, quoted: \"0.0800\"")
    valid_from: date
    valid_to: date
    regions: tuple[str, ...] | None = Field(default=None, description="contracts this rate belongs to; all when omitted")

    @field_validator("price", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise ValueError(f"quote prices as strings (\"{value}\"): a YAML float may have lost digits")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Rate:
        if self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    def covers(self, day: date, region: str) -> bool:
        return self.valid_from <= day <= self.valid_to and (self.regions is None or region in self.regions)


class Item(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    service: str
    resource: str
    per: Literal["hour", "day", "month", "year"]
    title: str
    title_en: str
    rates: list[Rate] = Field(min_length=1)
    free: str | None = Field(default=None, pattern=r"^art[0-9]{1,2}$",
                             description="the article that makes it free (its rates are 0); never free by omission")

    @property
    def kind(self) -> str:
        return f"{self.service}/{self.resource}"

    @model_validator(mode="after")
    def _free_is_zero(self) -> Item:
        if self.free is not None and any(rate.price for rate in self.rates):
            raise ValueError(f"{self.kind} is free under {self.free}: its rates must be \"0\"")
        if self.free is None and self.rates and all(rate.price == 0 for rate in self.rates):
            raise ValueError(f"{self.kind} has no price but 0: name the article that makes it free (free: artN)")
        return self

    @model_validator(mode="after")
    def _known_and_disjoint(self) -> Item:
        if self.kind not in BY_KEY:
            raise ValueError(f"unknown resource {self.kind}; metered kinds: {', '.join(sorted(BY_KEY))}")
        for i, a in enumerate(self.rates):
            for b in self.rates[i + 1:]:
                same_scope = a.regions == b.regions or (a.regions and b.regions and set(a.regions) & set(b.regions))
                if same_scope and a.valid_from <= b.valid_to and b.valid_from <= a.valid_to:
                    raise ValueError(f"rates overlap: {a.valid_from}..{a.valid_to} and {b.valid_from}..{b.valid_to}")
        return self


class PriceBook(_Strict):
    year: int = Field(ge=2019, le=2100)
    contract: str = Field(min_length=2, description="the procurement contract these prices come from")
    currency: Literal["CNY"] = "CNY"
    items: list[Item]

    @model_validator(mode="after")
    def _one_item_per_kind(self) -> PriceBook:
        seen: set[str] = set()
        for item in self.items:
            if item.kind in seen:
                raise ValueError(f"{item.kind} is priced twice; put its dated rates under one item")
            seen.add(item.kind)
        return self

    def item(self, kind: str) -> Item | None:
        return next((i for i in self.items if i.kind == kind), None)

    def rate(self, kind: str, region: str, day: date) -> tuple[Item, Rate] | None:
        item = self.item(kind)
        if item is None:
            return None
        found = [r for r in item.rates if r.covers(day, region)]
        found.sort(key=lambda r: r.regions is None)       # a region's own contract first
        return (item, found[0]) if found else None

    def boundaries(self) -> set[date]:
        """Days on which some rate starts or the day after one ends: where usage must be cut."""
        days: set[date] = set()
        for item in self.items:
            for rate in item.rates:
                days.update((rate.valid_from, rate.valid_to + timedelta(days=1)))
        return days

