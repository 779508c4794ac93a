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

from provisioner.messages import WORDS

Unit = Literal["working days", "calendar days", "months", "years"]


@dataclass(frozen=True)
class Term:
    article: str         # e.g. art15
    count: int
    unit: Unit
    words: str           # the id of the regulation's own words in provisioner/messages.py

    def text(self, lang: str = "zh") -> str:
        """The term as a sentence shows it: "3 个工作日", "3 working days"; "两个月", "two months"."""
        key = "term-" + self.unit.replace(" ", "-") + ("-one" if self.count == 1 else "")
        return WORDS.say(key, lang, count=self._count())

    @property
    def original(self) -> str:
        """The regulation's own words (it is written in Chinese)."""
        return WORDS.say(self.words, "zh", count=self._count())

    def _count(self) -> object:
        worded = self.unit in ("months", "years") and f"count-{self.count}" in WORDS   # 两个月, 一年
        return WORDS(f"count-{self.count}") if worded else self.count


# art15: the office checks a request and answers whether it is accepted.
DECIDE = Term("art15", 3, "working days", "art15-decide")
# art16: the provider prepares the accepted request's resources as a free trial environment.
PREPARE_TRIAL = Term("art16", 2, "working days", "art16-prepare-trial")
# art16: the free trial, in calendar days; "may be extended where truly needed" (one
# extension at a time of at most as many days again: the product's reading).
TRIAL = Term("art16", 15, "calendar days", "art16-trial")
# art18: an approved (minor) change is completed by the provider.
CHANGE = Term("art18", 3, "working days", "art18-change")
# art23: after a migrated system goes live, the original system is kept.
LEGACY_KEPT = Term("art23", 2, "months", "art23-legacy-kept")
# art26: logs of every operation are kept complete.
LOGS_KEPT = Term("art26", 1, "years", "art26-logs-kept")
# art28: the fee is settled after each service cycle.
SERVICE_CYCLE = Term("art28", 1, "years", "art28-service-cycle")

TERMS = (DECIDE, PREPARE_TRIAL, TRIAL, CHANGE, LEGACY_KEPT, LOGS_KEPT, SERVICE_CYCLE)

# Plain numbers for the code that counts with them.
TRIAL_DAYS = TRIAL.count
MAX_EXTENSION_DAYS = TRIAL.count
