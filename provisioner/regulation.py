"""The regulation's numbers and deadlines, each with the article and the words it comes from.

九江市政务云服务管理办法（九府办发〔2019〕19号）. Every other module reads these numbers
from here, and every sentence that states one to a person formats it in from here
(tests/unit/test_regulation.py holds the rest of the code to that). How a count of
working days is counted is provisioner/calendar.py's (rules.md, "Working days").

Articles the regulation gives no number for live elsewhere: art14's materials
(spec/materials.py), art20-21 and art24's security baseline and inspections
(policies/security-baseline.yaml, policies/inspection.yaml: the office's numbers),
art22's agreements (policies/agreements.yaml), art27-30's fee (billing/).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["working days", "calendar days", "months", "years"]
_UNIT_ZH = {"working days": "个工作日", "calendar days": "天", "months": "个月", "years": "年"}
_ZH_WORDS = {1: "一", 2: "两"}
_EN_WORDS = {1: "one", 2: "two"}


@dataclass(frozen=True)
class Term:
    article: str         # e.g. art15
    count: int
    unit: Unit
    original: str        # the regulation's own words

    def text(self, lang: str = "zh") -> str:
        """The term as a sentence shows it: "3 个工作日", "3 working days"; "两个月", "two months"."""
        worded = self.unit in ("months", "years")     # as the regulation writes them: 两个月, 一年
        if lang == "en":
            unit = self.unit[:-1] if self.count == 1 else self.unit
            return f"{_EN_WORDS.get(self.count, self.count) if worded else self.count} {unit}"
        if worded:
            return f"{_ZH_WORDS.get(self.count, self.count)}{_UNIT_ZH[self.unit]}"
        return f"{self.count} {_UNIT_ZH[self.unit]}"

# art15: the office checks a request and answers whether it is accepted.
DECIDE = Term("art15", 3, "working days", "在3个工作日内提出受理意见")
# art16: the provider prepares the accepted request's resources as a free trial environment.
PREPARE_TRIAL = Term("art16", 2, "working days", "云服务商根据受理意见在2个工作日内准备好相应的云资源")
# art16: the free trial, in calendar days; "may be extended where truly needed" (one
# extension at a time of at most as many days again: the product's reading).
TRIAL = Term("art16", 15, "calendar days", "免费提供试用环境，试用时间为15天，确有必要的可适当延长试用时间")
# art18: an approved (minor) change is completed by the provider.
CHANGE = Term("art18", 3, "working days", "审核通过后，云服务商应当在3个工作日内完成变更")
# art23: after a migrated system goes live, the original system is kept.
LEGACY_KEPT = Term("art23", 2, "months", "迁移上线后，应保留原应用系统原则上不少于两个月")
# art26: logs of every operation are kept complete.
LOGS_KEPT = Term("art26", 1, "years", "日志信息应至少完整保存一年")
# art28: the fee is settled after each service cycle.
SERVICE_CYCLE = Term("art28", 1, "years", "在一个云服务周期（一年）满后……核算服务费用")

TERMS = (DECIDE, PREPARE_TRIAL, TRIAL, CHANGE, LEGACY_KEPT, LOGS_KEPT, SERVICE_CYCLE)

# Plain numbers for the code that counts with them.
TRIAL_DAYS = TRIAL.count
MAX_EXTENSION_DAYS = TRIAL.count
