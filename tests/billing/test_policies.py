"""The office's policy files: the committed ones load; wrong ones are refused with every problem and its line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from provisioner.allocation.kinds import BY_KEY
from provisioner.policy import files
from provisioner.billing.policy import SettlementPolicy, band_factor
from provisioner.billing.prices import PriceBook
from provisioner.errors import SpecError
from provisioner.metering.resources import KINDS
from provisioner.policy import Policies

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_policies_load_and_price_every_metered_kind() -> None:
    book = Policies(ROOT).prices(2026)
    assert book is not None and {i.kind for i in book.items} == {k.key for k in KINDS}
    assert book.rate("compute/cores", "city", date(2026, 6, 30))[1].price == Decimal("0.1100")
    assert book.rate("compute/cores", "city", date(2026, 7, 1))[1].price == Decimal("0.1000")
    assert book.rate("volumev3/capacity", "xiushui", date(2026, 3, 1))[1].price == Decimal("0.55")
    assert book.rate("volumev3/capacity", "lianxi", date(2026, 3, 1))[1].price == Decimal("0.60")
    assert book.rate("compute/cores", "city", date(2027, 1, 1)) is None
    policy = Policies(ROOT).settlement
    assert band_factor(policy.evaluation.factors, Decimal("89.99")) == Decimal("0.97")
    assert band_factor(policy.utilisation.factors, Decimal("0.5")) == Decimal("1.00")
    assert set(Policies(ROOT).evaluation(2026).regions) >= {"city", "lianxi", "xiushui", "wuning", "lushan", "duchang"}
    assert Policies(ROOT).prices(2031) is None and Policies(ROOT).evaluation(2031) is None


def _problems(model: type, text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        files.parse(model, text, "prices/2026.yaml", "art28")
    return [str(p) for p in caught.value.problems]


def test_a_wrong_price_file_is_refused_with_each_problem_at_its_line() -> None:
    text = """year: 2026
contract: JJCG-2026-017
items:
  - id: vcpu
    service: compute
    resource: cores
    per: hour
    title: vCPU
    title_en: vCPU
    rates:
      - {price: 0.11, valid_from: 2026-01-01, valid_to: 2026-06-30}
  - id: gpu
    service: compute
    resource: gpus
    per: hour
    title: GPU
    title_en: GPU
    rates:
      - {price: "9", valid_from: 2026-01-01, valid_to: 2026-12-31}
  - {id: ram, service: compute, resource: ram, per: week, title: RAM, title_en: RAM,
     rates: [{price: "1", valid_from: 2026-12-31, valid_to: 2026-01-01}]}
"""
    assert _problems(PriceBook, text) == [
        "policies/prices/2026.yaml:11:17: policy-config-invalid items[0].rates[0].price 取值无效：Value error, quote "
        "prices as strings (\"0.11\"): a YAML float may have lost digits [art28]",
        "policies/prices/2026.yaml:12:5: policy-config-invalid items[1] 取值无效：Value error, unknown resource "
        f"compute/gpus; metered kinds: {', '.join(sorted(BY_KEY))} [art28]",
        "policies/prices/2026.yaml:20:53: policy-config-invalid items[2].per 取值无效：Input should be 'hour', 'day', "
        "'month' or 'year' [art28]",
        "policies/prices/2026.yaml:21:14: policy-config-invalid items[2].rates[0] 取值无效：Value error, valid_to "
        "2026-01-01 is before valid_from 2026-12-31 [art28]"]


def test_overlapping_rates_and_a_twice_priced_resource_are_refused() -> None:
    item = ('  - {{id: {id}, service: compute, resource: cores, per: hour, title: v, title_en: v, rates: '
            '[{{price: "1", valid_from: 2026-01-01, valid_to: 2026-07-31}}, '
            '{{price: "2", valid_from: 2026-07-01, valid_to: 2026-12-31}}]}}\n')
    problems = _problems(PriceBook, "year: 2026\ncontract: c-1\nitems:\n" + item.format(id="a"))
    assert problems == ["policies/prices/2026.yaml:4:5: policy-config-invalid items[0] 取值无效：Value error, rates "
                        "overlap: 2026-01-01..2026-07-31 and 2026-07-01..2026-12-31 [art28]"]


def test_a_formula_without_a_floor_band_or_with_weights_off_one_is_refused() -> None:
    text = (ROOT / "policies/settlement.yaml").read_text(encoding="utf-8")
    broken = text.replace('satisfaction: "0.30"', 'satisfaction: "0.35"').replace('- {at_least: "0", factor: "0.80"}', "")
    with pytest.raises(SpecError) as caught:
        files.parse(SettlementPolicy, broken, "settlement.yaml", "art30")
    messages = [p.message_en for p in caught.value.problems]
    assert messages == ["evaluation is invalid: Value error, weights must name service_response, satisfaction, quality and "
                        "add up to 1",
                        "utilisation is invalid: Value error, the last band must start at 0, so every value has a factor"]
    assert [p.location.line for p in caught.value.problems] == [text.splitlines().index("evaluation:") + 1,
                                                               text.splitlines().index("utilisation:") + 1]
