"""Yearly cost from the price book (pure): metered quantities, yearly prices, "no price" never zero."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from provisioner.allocation.kinds import KINDS
from provisioner.billing.prices import PriceBook
from provisioner.policy import Policies
from provisioner.gitops import cost
from provisioner.gitops.prices import PriceList, price_list
from provisioner.spec import load_spec, parse_spec
from tests.gitops.helpers import ROOT, flavors, spec


def book(**rates: tuple[str, str]) -> PriceBook:
    """A price book: kind -> (per, price), one rate valid all of 2026 for every region."""
    return PriceBook.model_validate({"year": 2026, "contract": "测试合同", "items": [
        {"id": kind.replace("/", "-").replace("_", "-"), "service": kind.split("/")[0], "resource": kind.split("/")[1],
         "per": per, "title": kind, "title_en": kind,
         "rates": [{"price": price, "valid_from": "2026-01-01", "valid_to": "2026-12-31"}]}
        for kind, (per, price) in rates.items()]})


def test_quantities_are_what_metering_counts_every_kind_included() -> None:
    path = "request_specs/jj-jyksy/zk-bm.yaml"
    q = cost.quantities(parse_spec((ROOT / path).read_text(encoding="utf-8"), path), flavors())
    # 3 x c4m8 (web) + 2 x c8m16 (app); the database flavor gc.db.c8m32 is not in the catalogue.
    assert q.values["compute/cores"] == 3 * 4 + 2 * 8
    assert q.values["compute/ram"] == 3 * 8 + 2 * 16
    assert q.values["database/instances"] == 2                       # primary/standby
    assert q.values["object-store/capacity"] == 300
    assert q.values["network/bandwidth"] == 100
    assert q.values["network/floating_ips"] == 2                     # a host's and the load balancer's
    assert q.values["load-balancer/loadbalancers"] == 1
    assert q.values["security/waf"] == 1
    assert q.unknown_flavors == ()


def test_yearly_prices_from_hour_day_month_and_year_rates() -> None:
    prices = PriceList(book(**{"compute/cores": ("hour", "0.0100"), "compute/ram": ("day", "0.50"),
                               "volumev3/capacity": ("month", "0.30"), "network/floating_ips": ("year", "600")}),
                       "policies/prices/2026.yaml", date(2026, 11, 27))
    assert prices.yearly("city") == {"compute/cores": Fraction("0.01") * 24 * 365, "compute/ram": Fraction("0.5") * 365,
                                     "volumev3/capacity": Fraction("0.3") * 12, "network/floating_ips": Fraction(600)}


def test_a_new_request_priced_in_full_and_rounded_once_per_line() -> None:
    yearly = {"compute/cores": Fraction("87.6"), "compute/ram": Fraction("182.5"), "volumev3/capacity": Fraction("3.6"),
              "security/backup": Fraction(0)}         # free by an article: a price of 0, not no price
    d = cost.delta(cost.NOTHING, cost.quantities(spec(), flavors()), yearly)
    assert [(line.kind, line.after, line.change) for line in d.lines] == [
        ("compute/cores", 1, Decimal("87.60")), ("compute/ram", 2, Decimal("365.00")),
        ("volumev3/capacity", 20, Decimal("72.00")), ("security/backup", 1, Decimal("0.00"))]
    assert d.change == Decimal("524.60") and d.complete and d.priced


def test_a_missing_price_is_no_price_never_zero() -> None:
    d = cost.delta(cost.NOTHING, cost.quantities(spec(), flavors()), {"compute/cores": Fraction(100)})
    assert d.missing == ("compute/ram", "volumev3/capacity", "security/backup") and not d.complete and d.priced
    assert d.change == Decimal("100.00")       # the priced part only; the comment says it is incomplete
    nothing = cost.delta(cost.NOTHING, cost.quantities(spec(), flavors()), {})
    assert not nothing.priced and nothing.change == 0 and len(nothing.missing) == 4


def test_an_unchanged_quantity_changes_nothing_even_without_a_price() -> None:
    q = cost.quantities(spec(), flavors())
    assert cost.delta(q, q, {}).lines == ()


def test_termination_is_a_negative_change_and_an_unknown_flavor_is_incomplete() -> None:
    q = cost.quantities(spec(), flavors())
    d = cost.delta(q, cost.NOTHING, {"compute/cores": Fraction(100), "compute/ram": Fraction(10),
                                     "volumev3/capacity": Fraction(1)})
    assert d.change == Decimal("-140.00")
    unknown = cost.quantities(spec(resources__hosts=[{"name": "app", "flavor": "gc.huge", "image": "cirros-tiny"}]),
                              flavors())
    assert unknown.unknown_flavors == ("gc.huge",)
    assert not cost.delta(cost.NOTHING, unknown, {}).complete


def test_half_a_cent_rounds_up() -> None:
    d = cost.delta(cost.NOTHING, cost.Quantities({"compute/cores": Fraction(1)}), {"compute/cores": Fraction("0.005")})
    assert d.change == Decimal("0.01")


@pytest.mark.parametrize(("value", "signed", "shown"), [
    (Decimal("1234.5"), False, "1,234.50"), (Decimal("1234.5"), True, "+1,234.50"), (Decimal("-20"), True, "-20.00"),
    (Decimal("0"), True, "+0.00"), (None, False, ""), (Fraction(1, 3), False, "0.33")])
def test_money(value, signed: bool, shown: str) -> None:  # noqa: ANN001
    assert cost.money(value, signed) == shown


def test_numbers_and_descriptions() -> None:
    assert [cost.number(Fraction(x)) for x in (2, Fraction(3, 2), Fraction(1, 3))] == ["2", "1.5", "0.333"]
    assert cost.describe("compute/ram", "zh") == ("云主机内存", "GiB")
    assert cost.describe("security/waf", "en") == ("web application firewall", "service")


def test_every_kind_is_priced_or_free_by_an_article_and_no_sample_has_a_line_without_a_price() -> None:
    prices = price_list(Policies(ROOT), date(2026, 11, 27))
    assert prices is not None and prices.book is not None
    assert sorted(item.kind for item in prices.book.items) == sorted(kind.key for kind in KINDS)
    free = {item.kind: item.free for item in prices.book.items if item.free}
    assert free == {"security/backup": "art13", "security/encryption": "art24"}
    seen: set[str] = set()
    for path in sorted((ROOT / "request_specs").glob("*/*.yaml")):
        spec_ = load_spec(path, ROOT)
        quantities = cost.quantities(spec_, Policies(ROOT).catalogue.flavors)
        d = cost.delta(cost.NOTHING, quantities, prices.yearly(spec_.region))
        assert d.complete and not d.missing, (path.name, d.missing)
        seen |= set(quantities.values)
    # The samples together allocate every kind, so each price is exercised by one of them.
    assert seen == {kind.key for kind in KINDS}, sorted({kind.key for kind in KINDS} - seen)
