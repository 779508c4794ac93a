"""Shared helpers for the request-spec tests: the repository root and the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "request_specs").glob("*/*.yaml"))
CASES = ROOT / "tests" / "spec_cases"


@pytest.fixture()
def new_text() -> str:
    """A complete new-system request (the city's portal), as text."""
    return (ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def migration_text() -> str:
    """A complete migration request of a level-2 county unit, as text."""
    return (ROOT / "request_specs" / "xs-bdcdjzx" / "bdc-dj.yaml").read_text(encoding="utf-8")
