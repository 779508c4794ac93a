"""A finding: one thing wrong with a spec, before it is located and put into words.

Checks produce findings (a rule id, the YAML path it concerns, parameters for
the message); provisioner.spec.report turns them into located, bilingual
Problems. Keeping the two apart lets every check stay ignorant of line numbers
and of language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    rule: str                                   # a key of provisioner.spec.messages.RULES
    path: Path = ()                             # where in the document, as keys and indexes
    params: dict[str, Any] = field(default_factory=dict)   # a Text among them is said in the problem's language
    at: tuple[int, int] | None = None           # (line, column) when known directly, 1-based
    on_key: bool = False                        # point at the key rather than at its value
    near: Path | None = None                    # where to point when `path` is not written at all
