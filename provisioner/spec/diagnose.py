"""pydantic's validation errors -> findings under govcloud's stable rule ids.

pydantic names about forty error types; a department needs a handful of ideas:
something is missing, a key is unknown (did you mean...?), a value has the wrong
type, is not one of the choices, has the wrong format, is out of range or too
long. Custom errors raised by the model's validators already carry a rule id.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from provisioner.spec import formats
from provisioner.spec.findings import Finding, Path
from provisioner.spec.messages import RULES, WORDS, Names

_TEXT = WORDS("type-text")
_INTEGER = WORDS("type-integer")
_MAPPING = WORDS("type-mapping")
_DATE = WORDS("type-date")
_EXPECTED = {
    "string_type": _TEXT, "int_type": _INTEGER, "int_from_float": _INTEGER, "int_parsing": _INTEGER,
    "bool_type": WORDS("type-bool"), "float_type": WORDS("type-number"),
    "list_type": WORDS("type-list"),
    "dict_type": _MAPPING, "model_type": _MAPPING, "model_attributes_type": _MAPPING,
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE, "date_future": _DATE, "date_past": _DATE,
}
_QUOTE_HINT = WORDS("quote-hint")
_NO_WORDS = ""          # a hint or suggestion that says nothing


def findings_from(error: ValidationError, model: type[BaseModel], skip: set[Path]) -> list[Finding]:
    """One finding per error, except where a YAML finding already covers the value."""
    found = []
    for err in error.errors(include_url=False):
        path = tuple(err["loc"])
        if any(path[: len(done)] == done for done in skip):
            continue
        found.append(_finding(err, path, model))
    return found


def _finding(err: Any, path: Path, model: type[BaseModel]) -> Finding:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in RULES:  # raised by a validator under its own rule id; `at` narrows the place
        params = {name: item for name, item in ctx.items() if name != "at"}
        return Finding(kind, path + tuple(ctx.get("at", ())), {**params, "input": value})
    if kind == "missing":
        return Finding("spec-missing", path, {})
    if kind == "extra_forbidden":
        return _unknown_key(path, model)
    if kind in _EXPECTED:
        hint = _QUOTE_HINT if kind == "string_type" and isinstance(value, (int, float)) else _NO_WORDS
        return Finding("spec-type", path, {"expected": _EXPECTED[kind], "hint": hint, "input": value})
    if kind in ("literal_error", "enum"):
        return _choice(path, ctx, value)
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        shown = WORDS(formats.DESCRIPTIONS[pattern]) if pattern in formats.DESCRIPTIONS else pattern
        return Finding("spec-format", path, {"format": shown, "input": value})
    # pydantic's own words (a validator's message), passed on as they are
    return _bounds(kind, path, ctx, value) or Finding("spec-invalid", path, {"detail": err["msg"], "input": value})


_BOUNDS = {
    "greater_than_equal": ("ge", "bound-ge"), "greater_than": ("gt", "bound-gt"),
    "less_than_equal": ("le", "bound-le"), "less_than": ("lt", "bound-lt"),
}
_LENGTHS = {
    "string_too_short": ("min_length", "length-chars-min"), "string_too_long": ("max_length", "length-chars-max"),
    "too_short": ("min_length", "length-items-min"), "too_long": ("max_length", "length-items-max"),
}


def _bounds(kind: str, path: Path, ctx: dict[str, Any], value: Any) -> Finding | None:
    if kind == "int_parsing_size":  # beyond 64 bits: no field takes such a number
        return Finding("spec-range", path, {"bound": WORDS("bound-sized-integer"), "input": value})
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return Finding("spec-range", path, {"bound": WORDS(words, limit=ctx[key]), "input": value})
    if kind in _LENGTHS:
        key, words = _LENGTHS[kind]
        actual = ctx.get("actual_length", len(value) if isinstance(value, (str, list, dict)) else "?")
        return Finding("spec-length", path, {"bound": WORDS(words, limit=ctx[key]), "actual": actual, "input": value})
    return None


def _choice(path: Path, ctx: dict[str, Any], value: Any) -> Finding:
    choices = [a or b for a, b in re.findall(r"'([^']*)'|(-?[0-9]+)", str(ctx.get("expected", "")))]
    return Finding("spec-choice", path, {"choices": Names(choices), "input": value,
                                         "suggestion": _did_you_mean(value, choices)})


def _unknown_key(path: Path, model: type[BaseModel]) -> Finding:
    key, parent = path[-1], path[:-1]
    allowed = _keys_at(model, parent)
    where = dotted(parent) if parent else None
    return Finding("spec-unknown-key", path, on_key=True, params={
        "key": key, "parent": where or WORDS("top-level"),
        "suggestion": _did_you_mean(key, allowed)})


def _did_you_mean(value: Any, candidates: Iterable[str]) -> Any:
    if not isinstance(value, str):
        return _NO_WORDS
    close = difflib.get_close_matches(value.lower(), list(candidates), n=1, cutoff=0.6)
    if not close:
        return _NO_WORDS
    return WORDS("did-you-mean", name=close[0])


def _keys_at(model: type[BaseModel], path: Path) -> list[str]:
    """The keys the model allows at a path of the document (by alias), or none if unknown."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        fields = {info.alias or name: info.annotation for name, info in current.model_fields.items()}
        current = fields.get(part)
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated, Optional and list down to the model inside, if any."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, typing.Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = models[0] if len(models) == 1 else None
        else:
            return annotation


def dotted(path: Path) -> str:
    """resources.hosts[0].count: the way a person points at a value."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
