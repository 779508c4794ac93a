"""A finding of the merge-request review: what, where, how serious, in Chinese and English (pure).

Severity:
    mandatory  blocks the merge (`govcloud plan` exits 1) and is refused again at apply
    advisory   the reviewers should look; does not block
    info       what will happen (a termination flow starts, the office must approve policies/)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from provisioner.errors import Problem
from provisioner.words import Text


class Severity(StrEnum):
    MANDATORY = "mandatory"
    ADVISORY = "advisory"
    INFO = "info"


_ORDER = {Severity.MANDATORY: 0, Severity.ADVISORY: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    zh: str
    en: str
    path: str = ""
    line: int = 0
    column: int = 0
    article: str = ""

    @classmethod
    def said(cls, severity: Severity, code: str, text: Text, path: str = "", line: int = 0, column: int = 0,
             article: str = "") -> Finding:
        """A finding worded by a sentence of a table (a Finding holds both languages: the comment shows both)."""
        return cls(severity, code, text.render("zh"), text.render("en"), path, line, column, article)

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def render(self, lang: str = "zh") -> str:
        """The finding's words in `lang`: a finding can be a value of a table's sentence."""
        return self.text(lang)

    @property
    def where(self) -> str:
        if not self.path:
            return ""
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.MANDATORY

    def sort_key(self) -> tuple[int, str, int, int, str]:
        return (_ORDER[self.severity], self.path, self.line, self.column, self.code)

    def as_dict(self, lang: str) -> dict[str, object]:
        return {"severity": self.severity.value, "rule": self.code, "file": self.path, "line": self.line,
                "column": self.column, "article": self.article, "message": self.text(lang),
                "message_zh": self.zh, "message_en": self.en}


def from_problem(problem: Problem, severity: Severity = Severity.MANDATORY) -> Finding:
    """A validation problem of a spec (provisioner.spec) as a finding: invalid specs block the merge."""
    loc = problem.location
    return Finding(severity, problem.code, problem.message, problem.message_en or problem.message,
                   loc.path, loc.line, loc.column, problem.article)


def ordered(findings: list[Finding]) -> list[Finding]:
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=Finding.sort_key)
