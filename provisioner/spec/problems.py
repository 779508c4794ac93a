"""Findings -> Problems: located at file:line:column, cited to their article, in two languages."""

from __future__ import annotations

import json
import math
from typing import Any

from provisioner.errors import Location, Problem
from provisioner.spec.diagnose import dotted
from provisioner.spec.findings import Finding, Path
from provisioner.spec.messages import FILE_ARTICLE, RULES, SECTION_ARTICLES, WORDS
from provisioner.spec.yamltree import Tree
from provisioner.words import say


def to_problems(findings: list[Finding], tree: Tree | None, file: str) -> list[Problem]:
    return in_order([to_problem(finding, tree, file) for finding in findings])


def in_order(problems: list[Problem]) -> list[Problem]:
    """By place then rule; a stable sort keeps checks' own order (art14's order of materials)."""
    return sorted(problems, key=lambda problem: (problem.location, problem.code))


def to_problem(finding: Finding, tree: Tree | None, file: str) -> Problem:
    rule = RULES[finding.rule]
    line, column = finding.at or position(finding, tree)
    return Problem(Location(file, line, column), finding.rule, render(rule.zh, finding, "zh"),
                   article_of(finding), render(rule.en, finding, "en"))


def article_of(finding: Finding) -> str:
    rule = RULES[finding.rule]
    if rule.article is not None:
        return rule.article
    section = next((part for part in finding.path if isinstance(part, str)), None)
    return SECTION_ARTICLES.get(section or "", FILE_ARTICLE)


def position(finding: Finding, tree: Tree | None) -> tuple[int, int]:
    """The value's (or key's) own position; else its closest written parent; else `near`."""
    if tree is None:
        return (1, 1)
    path = finding.path
    exact = _lookup(tree, path, finding.on_key)
    if exact is not None:
        return exact
    for size in range(len(path) - 1, 0, -1):
        parent = _lookup(tree, path[:size], on_key=True)
        if parent is not None:
            return parent
    if finding.near is not None:
        return _lookup(tree, finding.near, on_key=False) or (1, 1)
    return (1, 1)


def _lookup(tree: Tree, path: Path, on_key: bool) -> tuple[int, int] | None:
    if on_key:
        return tree.keys.get(path) or tree.values.get(path)
    return tree.values.get(path) or tree.keys.get(path)


def render(template: str, finding: Finding, lang: str) -> str:
    return fill(template, values_in(finding, lang))


def values_in(finding: Finding, lang: str) -> Values:
    """What a finding's templates are filled with in `lang`: said once for all of them (a
    policy finding's message and fix), not once per template."""
    values = Values(field=dotted(finding.path) or WORDS.say("whole-file", lang))
    for name, value in finding.params.items():
        if name == "input":
            values["got"] = show(value, lang)
        else:
            values[name] = say(value, lang)
    return values


def fill(template: str, values: Values) -> str:
    return template.format_map(values)


class Values(dict):
    """A finding's values said in one language. A parameter a template names but a finding
    lacks shows as `?` rather than crashing."""

    def __missing__(self, key: str) -> str:
        return "?"


def show(value: Any, lang: str) -> str:
    """A value as the person wrote it in YAML, short enough for one line."""
    if value is None:
        return WORDS.say("value-empty", lang)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, dict):
        return WORDS.say("value-mapping", lang)
    if isinstance(value, list):
        return WORDS.say("value-list", lang)
    return type(value).__name__
