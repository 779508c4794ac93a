"""Mutated specs never raise: each one is either valid or comes with located, worded problems.

Two parts: a fast seeded loop over 10,000 mutations (reproducible; a failure
prints the seed), and a hypothesis search that combines mutations freely.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provisioner.spec import check_text
from provisioner.spec.messages import RULES
from tests.spec.conftest import SAMPLES
from tests.spec.mutations import MUTATIONS, mutate

TEXTS = [path.read_text(encoding="utf-8") for path in SAMPLES]
SEEDED = 10_000


def _assert_sound(text: str, label: str) -> bool:
    """True when the text is invalid; fails the test unless the outcome is well-formed."""
    try:
        checked = check_text(text, "mutated.yaml")
    except Exception as exc:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{label}: {type(exc).__name__}: {exc}\n---\n{text}") from exc
    if checked.spec is not None:
        assert checked.problems == [], label
        return False
    assert checked.problems, f"{label}: rejected without a problem"
    lines = text.count("\n") + text.count("\r") + 2
    for problem in checked.problems:
        where = problem.location
        assert where.path == "mutated.yaml" and 1 <= where.line <= lines and where.column >= 1, (label, problem)
        assert problem.code in RULES and problem.article.startswith("art"), (label, problem)
        assert problem.message and problem.message_en, (label, problem)
    return True


def test_ten_thousand_seeded_mutations() -> None:
    invalid = 0
    for seed in range(SEEDED):
        rng = random.Random(seed)
        text = mutate(TEXTS[seed % len(TEXTS)], rng, times=1 + seed % 3)
        invalid += _assert_sound(text, f"seed {seed}")
    # Most mutations break something; a few (a swapped comment, a harmless value) do not.
    assert invalid > SEEDED * 0.6


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(base=st.sampled_from(TEXTS),
       steps=st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 2**32)), min_size=1, max_size=6))
def test_any_combination_of_mutations(base: str, steps: list) -> None:
    text = base
    for mutation, seed in steps:
        text = mutation(text, random.Random(seed)) if text else "x"
    _assert_sound(text, repr([(m.__name__, s) for m, s in steps]))
