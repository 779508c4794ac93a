"""The words govcloud says live in message tables (provisioner/**/messages.py); code names
sentences by id (issue 15, item 5). That each table has both languages with the same
placeholders is tests/unit/test_messages.py's.

The two lists below are what is still to move: each test fails both when a module not listed
breaks the rule and when a listed one no longer does (so the lists only shrink)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from provisioner.words import Words

PACKAGE = Path(__file__).resolve().parents[2] / "provisioner"
WORDS_MODULE = PACKAGE / "words.py"     # the tables' machinery: it joins sentences with each language's semicolon
CHINESE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")

# Modules that still hold Chinese sentences inline (not in a messages.py table).
STILL_INLINE: set[str] = set()

# Modules that still raise a govcloud error with an inline sentence (English only, as a rule)
# instead of a Text from their package's table.
STILL_RAISING_INLINE: set[str] = set()


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def _schema_descriptions(tree: ast.AST) -> set[int]:
    """`Field(description=...)`: the spec format's own documentation (it becomes the JSON Schema
    editors show), written in both languages in one string on purpose."""
    return {id(kw.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "description"}


def _inline_chinese(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _docstrings(tree) | _schema_descriptions(tree)
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in exempt and CHINESE.search(node.value)]


def test_a_words_table_refuses_an_unknown_id_and_says_either_language():
    words = Words({"greet": ("你好，{name}", "hello, {name}")})
    assert words.say("greet", "en", name="ops") == "hello, ops"
    assert str(words("greet", name="运维")) == "你好，运维"
    with pytest.raises(KeyError):
        words("no-such-sentence")


def test_every_id_named_in_code_is_in_the_table_it_is_taken_from():
    """`WORDS("id")` and `WORDS.say("id", ...)` with a literal id: the id must be in that WORDS."""
    missing = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sources = {alias.asname or alias.name: node.module for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.module
                   for alias in node.names if isinstance(alias, ast.alias) and alias.name == "WORDS"}
        if path.name == "messages.py":
            sources.setdefault("WORDS", "provisioner." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.value.id if isinstance(func, ast.Attribute) and func.attr == "say"
                and isinstance(func.value, ast.Name) else None)
            if name in sources:
                words = importlib.import_module(sources[name]).WORDS
                if node.args[0].value not in words:
                    missing.append(f"{_relative(path)}:{node.lineno}: {node.args[0].value!r} not in {sources[name]}")
    assert not missing, "\n".join(missing)


def test_no_module_writes_chinese_sentences_inline():
    inline = {_relative(p): lines for p in _modules()
              if p.name != "messages.py" and p != WORDS_MODULE and (lines := _inline_chinese(p))}
    new = {module: lines for module, lines in inline.items() if module not in STILL_INLINE}
    assert not new, f"Chinese written inline (move it to the package's messages.py): {new}"
    moved = STILL_INLINE - set(inline)
    assert not moved, f"no inline Chinese left in {sorted(moved)}: take them off STILL_INLINE"


_BASE_ERRORS = {"GovcloudError", "UserError", "SpecError", "ConfigError", "InfraError", "EngineError", "CloudError"}


def _error_classes() -> set[str]:
    """Every class that is a govcloud error, by name (subclasses of subclasses included)."""
    bases: dict[str, set[str]] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
    errors = set(_BASE_ERRORS)
    while grown := {name for name, parents in bases.items() if parents & errors} - errors:
        errors |= grown
    return errors


def _is_sentence(node: ast.expr) -> bool:
    """A string written here: a literal, an f-string, or a + or % of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and (_is_sentence(node.left) or _is_sentence(node.right))


def _raising_inline(errors: set[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in errors
                    and node.args and _is_sentence(node.args[0])):
                found.setdefault(_relative(path), []).append(node.lineno)
    return found


def test_no_module_raises_a_govcloud_error_with_an_inline_sentence():
    """An error's words come from a table, so that --lang says them in the reader's language."""
    inline = _raising_inline(_error_classes())
    new = {module: lines for module, lines in inline.items() if module not in STILL_RAISING_INLINE}
    assert not new, f"errors raised with inline words (use the package's WORDS): {new}"
    moved = STILL_RAISING_INLINE - set(inline)
    assert not moved, f"no inline error words left in {sorted(moved)}: take them off STILL_RAISING_INLINE"
