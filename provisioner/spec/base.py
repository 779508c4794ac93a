"""The base of every section of a request spec: strict, closed and immutable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Unknown keys are errors: a misspelt key must not silently drop a need.

    Strict types: the loader already turns YAML into exact Python types, so
    `count: "2"` or `budget_level: true` are mistakes to report, not to coerce.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
