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

_CONSTANTS = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
              "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_BOOL_1_1 = re.compile(r"(?i:y|n|yes|no|on|off)")
# The readings of a scalar that starts like a number, in the order they are tried: one regex,
# whose first alternative matching the whole scalar names the reading (re tries them in order),
# rather than a match per reading.
_NUMBER_READINGS = (
    ("int", r"[-+]?(?:0|[1-9][0-9]*)"),
    ("leading_zero", r"[-+]?0[0-9]+"),
    ("prefixed", r"[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)"),
    ("underscored", r"[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?"),
    ("sexagesimal", r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"),
)
_NUMBER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _NUMBER_READINGS))
_NUMBER_START = frozenset("0123456789+-.")

# The first characters of every reading but text (the empty scalar is null): any other plain
# scalar is text, which callers reading many scalars may take without calling resolve_plain.
MAY_NOT_BE_TEXT = _NUMBER_START | frozenset("~nNtTfFyYoO") | {""}


def resolve_plain(text: str) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
    """The value of an unquoted scalar, and the trap it falls into (rule id, params) if any."""
    start = text[:1]
    if start not in MAY_NOT_BE_TEXT:
        return text, None
    if text in _CONSTANTS:
        return _CONSTANTS[text], None
    if start not in _NUMBER_START:      # a word: text, unless YAML 1.1 reads it as a boolean
        if _BOOL_1_1.fullmatch(text):
            as_bool = "true" if text.lower() in ("y", "yes", "on") else "false"
            return text, ("yaml-ambiguous-bool", {"text": text, "as_bool": as_bool})
        return text, None
    if text.isdecimal() and text.isascii() and (start != "0" or text == "0"):
        return int(text), None          # the most frequent number by far, without the regex
    reading = _NUMBER.fullmatch(text)
    if reading is None:
        return text, None
    if reading.lastgroup == "int":
        return int(text), None
    if reading.lastgroup == "float":
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan")), None
    return text, ("yaml-ambiguous-number", {"text": text, "reason": _NUMBER_TRAPS[reading.lastgroup]})


_NUMBER_TRAPS = {
    "leading_zero": WORDS("number-leading-zero"),
    "prefixed": WORDS("number-prefixed"),
    "underscored": WORDS("number-underscored"),
    "sexagesimal": WORDS("number-sexagesimal"),
}
