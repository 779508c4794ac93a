"""Plain YAML scalars read the YAML 1.2 way, with the YAML 1.1 readings reported as traps.

PyYAML implements YAML 1.1, where `no` is false, `0755` is 493 and `1:30` is 90;
editors, check-jsonschema (ruamel) and most people read YAML 1.2, where the
first is text and the others differ too. Rather than pick one silently, such
values are errors that say both readings and how to write the intended one.
Timestamps stay text: the model parses the dates it expects.
"""

from __future__ import annotations

import re
from typing import Any

from provisioner.spec.messages import WORDS

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_BOOL_1_1 = re.compile(r"(?i:y|n|yes|no|on|off)")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_PREFIXED = re.compile(r"[-+]?0(x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)")
_UNDERSCORED = re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?")
_SEXAGESIMAL = re.compile(r"[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# First characters that can start anything but text: a fast exit for most scalars.
_SPECIAL_START = frozenset("0123456789+-.~nNtTfFyYoO")


def resolve_plain(text: str) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
    """The value of an unquoted scalar, and the trap it falls into (rule id, params) if any."""
    if text and text[0] not in _SPECIAL_START:
        return text, None
    if text.isdecimal() and text.isascii() and (text[0] != "0" or text == "0"):
        return int(text), None
    if text in _NULLS:
        return None, None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if _INT.fullmatch(text):
        return int(text), None
    trap = _trap(text)
    if trap is not None:
        return text, trap
    if _FLOAT.fullmatch(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan")), None
    return text, None


def _trap(text: str) -> tuple[str, dict[str, Any]] | None:
    if _BOOL_1_1.fullmatch(text):
        as_bool = "true" if text.lower() in ("y", "yes", "on") else "false"
        return "yaml-ambiguous-bool", {"text": text, "as_bool": as_bool}
    for pattern, reason in _NUMBER_TRAPS:
        if pattern.fullmatch(text):
            return "yaml-ambiguous-number", {"text": text, "reason": reason}
    return None


_NUMBER_TRAPS = (
    (_LEADING_ZERO, WORDS("number-leading-zero")),
    (_PREFIXED, WORDS("number-prefixed")),
    (_UNDERSCORED, WORDS("number-underscored")),
    (_SEXAGESIMAL, WORDS("number-sexagesimal")),
)
