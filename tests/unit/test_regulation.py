"""The regulation's numbers live in provisioner/regulation.py only: no other module types them.

Precise on purpose: a number counts as the regulation's when it is typed next to its unit in
a sentence (string literals, not docstrings or comments: those explain) or assigned as a
days/months/years constant; anything else that happens to be 2, 3 or 15 is not looked at.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from provisioner import regulation
from provisioner.regulation import TERMS

PACKAGE = Path(regulation.__file__).parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "regulation.py" or p.parent != PACKAGE)
# The regulation's terms as a sentence would type them, in either language.
SPOKEN = re.compile(r"\d+\s*个工作日|\b\d+\s+working days?\b|(?<![\d.])15\s*(天|(calendar )?days?\b)"
                    r"|两个月|\btwo (calendar )?months\b|[满存]一年|\bone (calendar )?year\b")
COUNTS = {term.count for term in TERMS}


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _typed_terms(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {m.group(0)!r}"
                      for m in SPOKEN.finditer(node.value)]
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
            else []
        value = getattr(node, "value", None)
        for target in targets:
            name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) \
                else ""
            if re.search(r"(DAYS|MONTHS|YEARS)$", name, re.IGNORECASE) and _literal_count(value, "WORKING" in name):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name} = a literal")
    return found


def _literal_count(value: ast.AST | None, working_days: bool) -> bool:
    """A literal count; in a table only of working days (a table of backup intervals is not the regulation's)."""
    if isinstance(value, ast.Constant):
        return value.value in COUNTS and not isinstance(value.value, bool)
    if isinstance(value, ast.Dict) and working_days:
        return any(_literal_count(v, False) for v in value.values)
    return False


def test_no_module_but_regulation_types_the_regulations_numbers() -> None:
    found = [hit for path in MODULES for hit in _typed_terms(path)]
    assert found == [], "read these from provisioner/regulation.py:\n" + "\n".join(found)


def test_the_scan_finds_a_number_typed_in_a_sentence_or_a_constant(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Docstrings explain: 15 days, 3 个工作日."""\nTRIAL_DAYS = 15\nWORKING_DAYS = {"a": 3}\n'
                      '_INTERVAL_DAYS = {"daily": 1}\n'
                      'def f():\n    return f"批准后 3 个工作日内完成", "kept two months"\n', encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path.parent
    try:
        assert sorted(hit.split(": ", 1)[1] for hit in _typed_terms(module)) == [
            "'3 个工作日'", "'two months'", "TRIAL_DAYS = a literal", "WORKING_DAYS = a literal"]
    finally:
        PACKAGE = saved


@pytest.mark.parametrize("term", TERMS, ids=[f"{t.article}-{t.unit}" for t in TERMS])
def test_each_term_is_cited_to_its_article_and_says_its_number_as_the_regulation_does(term: regulation.Term) -> None:
    assert re.fullmatch(r"art\d{1,2}", term.article)
    written = {1: ("一", "1"), 2: ("两", "2")}.get(term.count, (str(term.count),))
    assert any(w in term.original for w in written), term.original
    assert term.text("zh") in {f"{term.count} 个工作日", f"{term.count} 天", "两个月", "一年"}
    assert term.text("en") in {f"{term.count} working days", f"{term.count} calendar days", "two months", "one year"}
