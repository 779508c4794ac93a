"""Read policies/ and a department's requests: the policy package's only I/O.

parse_policies (pure) turns the files' text into a PolicySet, or raises
PolicyConfigError listing every problem at its file:line: YAML traps (the same
reader as request specs), values of the wrong shape, rules the code does not
know or the office left out, and message placeholders a rule does not provide.
An office that mistypes a rule id or a placeholder learns it on its own merge
request, not when a department's request is checked.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from provisioner.catalogue import Catalogue
from provisioner.errors import Location, Problem, SpecError
from provisioner.policy.model import (Agreements, Inspection, Naming, OnDemand, PolicySet, RuleDef, Rules,
                                      SecurityBaseline)
from provisioner.policy.rules import COMMON_PARAMS, FILES, PARAMS
from provisioner.spec.batch import SUFFIXES
from provisioner.spec.diagnose import dotted
from provisioner.spec.findings import Finding
from provisioner.spec.load import check_file, shown_path
from provisioner.spec.location import SPEC_FOLDER
from provisioner.spec.model import RequestSpec
from provisioner.spec.problems import position, to_problems
from provisioner.spec.yamltree import Tree, read_yaml

POLICY_FOLDER = "policies"
MODELS: dict[str, type[BaseModel]] = {
    "catalogue.yaml": Catalogue, "on-demand.yaml": OnDemand,
    "security-baseline.yaml": SecurityBaseline, "naming.yaml": Naming, "agreements.yaml": Agreements,
    "inspection.yaml": Inspection,
}
_RULES = TypeAdapter(Rules)


class PolicyConfigError(SpecError):
    """policies/ itself is wrong: nothing can be checked against it."""

    def __str__(self) -> str:
        return "policies/ is invalid (政务云政策文件有误):\n" + "\n".join(p.render("en") for p in self.problems)


def load_policies(root: Path) -> PolicySet:
    texts: dict[str, str] = {}
    problems = []
    for name in MODELS:
        path = root / POLICY_FOLDER / name
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(_problem(name, (1, 1), "policy-file-unreadable", f"无法读取：{exc}", f"cannot be read: {exc}"))
    if problems:
        raise PolicyConfigError(problems)
    return parse_policies(texts)


def has_policies(root: Path) -> bool:
    return (root / POLICY_FOLDER).is_dir()


def parse_policies(texts: Mapping[str, str]) -> PolicySet:
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    trees: dict[str, Tree] = {}
    for name, model in MODELS.items():
        shown = f"{POLICY_FOLDER}/{name}"
        tree, findings = read_yaml(texts[name])
        problems += to_problems(findings, tree, shown)
        if tree is None or findings:
            continue
        trees[name] = tree
        try:
            parsed[name] = model.model_validate(tree.data)
        except ValidationError as exc:
            problems += _invalid(exc, tree, name)
    rules, files = _rules(parsed, trees, problems)
    if problems or len(parsed) < len(MODELS):
        raise PolicyConfigError(problems)
    return PolicySet(parsed["catalogue.yaml"], parsed["on-demand.yaml"], parsed["security-baseline.yaml"],
                     parsed["naming.yaml"], parsed["agreements.yaml"], parsed["inspection.yaml"], rules, files)


def _rules(parsed: dict[str, Any], trees: dict[str, Tree], problems: list[Problem]) -> tuple[Rules, dict[str, str]]:
    rules: Rules = {}
    files: dict[str, str] = {}
    for name, value in parsed.items():
        try:
            own = _RULES.validate_python(value.rules)
        except ValidationError as exc:
            problems += _invalid(exc, trees[name], name, prefix=("rules",))
            continue
        for rule_id, rule in own.items():
            problems += _rule_problems(rule_id, rule, name, trees[name])
            rules[rule_id], files[rule_id] = rule, name
    if len(parsed) == len(MODELS):
        for rule_id in PARAMS:
            if rule_id not in rules:
                problems.append(_problem(FILES[rule_id], _at(trees[FILES[rule_id]], ("rules",), True),
                                         "policy-rule-missing", f"缺少规则 {rule_id} 的定义（条款、严重程度、中英文说明）",
                                         f"the rule {rule_id} is not defined (article, severity, words)"))
    return rules, files


def _rule_problems(rule_id: str, rule: RuleDef, name: str, tree: Tree) -> list[Problem]:
    where = ("rules", rule_id)
    if rule_id not in PARAMS:
        return [_problem(name, _at(tree, where, True), "policy-rule-unknown",
                         f"没有名为 {rule_id} 的规则：已实现的规则见 policies/README.md",
                         f"no rule is called {rule_id}: the implemented rules are listed in policies/README.md")]
    if FILES[rule_id] != name:
        return [_problem(name, _at(tree, where, True), "policy-rule-misplaced",
                         f"规则 {rule_id} 应写在 policies/{FILES[rule_id]}", f"the rule {rule_id} belongs in policies/{FILES[rule_id]}")]
    known = PARAMS[rule_id] | COMMON_PARAMS
    found = []
    for part in ("message", "fix"):
        for lang in ("zh", "en"):
            text = getattr(getattr(rule, part), lang)
            unknown = sorted({f for _, f, _, _ in string.Formatter().parse(text) if f} - known)
            if unknown:
                found.append(_problem(name, _at(tree, where + (part, lang), False), "policy-rule-placeholder",
                                      f"占位符 {{{unknown[0]}}} 不是规则 {rule_id} 提供的参数；可用：{', '.join(sorted(known))}",
                                      f"the placeholder {{{unknown[0]}}} is not a parameter of {rule_id}; "
                                      f"available: {', '.join(sorted(known))}"))
    return found


def _invalid(exc: ValidationError, tree: Tree, name: str, prefix: tuple = ()) -> list[Problem]:
    found = []
    for err in exc.errors(include_url=False):
        path = prefix + tuple(err["loc"])
        field = dotted(tuple(p for p in path if p != "[key]")) or "(file)"
        found.append(_problem(name, _at(tree, path, False), "policy-config-invalid",
                              f"{field} 取值无效：{err['msg']}", f"{field} is invalid: {err['msg']}"))
    return found


def _at(tree: Tree, path: tuple, on_key: bool) -> tuple[int, int]:
    return position(Finding("policy", tuple(str(p) if p == "[key]" else p for p in path), on_key=on_key), tree)


def _problem(name: str, at: tuple[int, int], code: str, zh: str, en: str) -> Problem:
    return Problem(Location(f"{POLICY_FOLDER}/{name}", *at), code, zh, "art15", en)


def department_requests(root: Path, department: str) -> list[tuple[str, Callable[[], RequestSpec | None]]]:
    """Every request under request_specs/<department>/: its shown path, and how to read it (None: invalid).

    Read lazily: a caller that already holds a file's spec (validating the whole
    folder) does not parse it twice.
    """
    folder = root / SPEC_FOLDER / department
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return [(shown_path(path, root), partial(_spec, path, root)) for path in files]


def _spec(path: Path, root: Path) -> RequestSpec | None:
    return check_file(path, root).spec
