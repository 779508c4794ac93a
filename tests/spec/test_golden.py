"""Every invalid example produces exactly the messages in its golden file, in both languages.

Refresh after a deliberate change with GOVCLOUD_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os

import pytest

from provisioner.spec import check_file
from tests.spec.conftest import CASES, ROOT

INVALID = sorted((CASES / "invalid").glob("*.yaml"))


def _rendered(path) -> str:
    checked = check_file(path, ROOT)
    assert checked.spec is None, f"{path.name} is meant to be invalid"
    lines = ["# zh", *(p.render("zh") for p in checked.problems),
             "# en", *(p.render("en") for p in checked.problems)]
    return "\n".join(lines) + "\n"


def test_there_are_enough_cases() -> None:
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_case_matches_its_golden_file(path) -> None:
    golden = path.with_suffix(".golden")
    actual = _rendered(path)
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}: run with GOVCLOUD_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_its_case() -> None:
    assert sorted(p.stem for p in (CASES / "invalid").glob("*.golden")) == [p.stem for p in INVALID]
