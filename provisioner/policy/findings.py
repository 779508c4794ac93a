"""Policy findings: a rule's hit on a spec (unlocated), and the located, worded finding people read.

A check yields Hits: the rule id and a provisioner.spec Finding (the YAML path
it concerns, the parameters of its message). Locating needs the spec's line
numbers, which a valid spec was read without, so it is done only for the
findings that will be shown (see locate.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from provisioner.errors import Location, Problem
from provisioner.policy.messages import WORDS
from provisioner.policy.model import Severity
from provisioner.spec.findings import Finding

# (Chinese, English) of each severity, for the inspection report's table
SEVERITY_WORDS = {severity: WORDS.table[f"severity-{severity.value}"] for severity in Severity}


@cache    # a few severities in two languages, said for each of thousands of findings
def severity_word(severity: Severity, lang: str = "zh") -> str:
    return WORDS.say(f"severity-{severity.value}", lang)


@cache
def _sentence_ends(lang: str) -> tuple[str, ...]:
    """The marks that end a sentence in `lang`, each one character."""
    return tuple(WORDS.say("sentence-ends", lang))


_ORDER = {Severity.MANDATORY: 0, Severity.EXPERT_REVIEW: 1, Severity.ADVISORY: 2}


@dataclass(frozen=True)
class Hit:
    rule: str
    finding: Finding


@dataclass(frozen=True, order=True)
class PolicyFinding:
    location: Location
    rule: str
    severity: Severity
    article: str
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.MANDATORY

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def fix(self, lang: str = "zh") -> str:
        return self.fix_en if lang == "en" else self.fix_zh

    def severity_word(self, lang: str = "zh") -> str:
        return severity_word(self.severity, lang)

    def advice(self, lang: str = "zh") -> str:
        """The message and how to fix it, as one sentence."""
        message = self.text(lang)
        # a message ending a sentence takes the fix as a sentence of its own
        ended = message.endswith(_sentence_ends(lang))
        key = "finding-advice" if ended else "finding-advice-joined"
        return WORDS.say(key, lang, message=message, fix=self.fix(lang))

    def sentence(self, lang: str = "zh") -> str:
        """The severity, the message and the fix."""
        return WORDS.say("finding-sentence", lang, severity=self.severity_word(lang), advice=self.advice(lang))

    def render(self, lang: str = "zh") -> str:
        """`path:line:col: RULE [severity] message; fix: ... [article]`, like a spec problem."""
        return f"{self.location}: {self.rule} {self.sentence(lang)} [{self.article}]"

    def __str__(self) -> str:
        return self.render("zh")

    def as_problem(self) -> Problem:
        """The same finding as a Problem (Chinese and English), for code that reads problems."""
        return Problem(self.location, self.rule, self.sentence("zh"), self.article, self.sentence("en"))

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "file": self.location.path, "line": self.location.line, "column": self.location.column,
            "rule": self.rule, "severity": self.severity.value, "article": self.article,
            "message": self.text(lang), "fix": self.fix(lang),
            "message_zh": self.message_zh, "message_en": self.message_en,
            "fix_zh": self.fix_zh, "fix_en": self.fix_en,
        }


def by_severity(findings: list[PolicyFinding]) -> list[PolicyFinding]:
    """Mandatory first, then expert review, then advisory; by place within each."""
    return sorted(findings, key=lambda f: (_ORDER[f.severity], f.location, f.rule))
