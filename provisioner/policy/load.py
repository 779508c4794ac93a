"""The rule set: the six files whose rules check a request.

parse_policies (pure) turns the files' text into a PolicySet, or raises
PolicyConfigError listing every problem at its file:line: YAML traps (the same
reader as request specs), values of the wrong shape, rules the code does not
know or the office left out, and message placeholders a rule does not provide.
An office that mistypes a rule id or a placeholder learns it on its own merge
request, not when a department's request is checked.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from provisioner.catalogue import Catalogue
from provisioner.errors import Problem
from provisioner.policy import files
from provisioner.policy.files import PolicyConfigError
from provisioner.policy.messages import WORDS
from provisioner.policy.model import (Agreements, Inspection, Naming, OnDemand, PolicySet, RuleDef, Rules,
                                      SecurityBaseline)
from provisioner.policy.rules import COMMON_PARAMS, FILES, PARAMS
from provisioner.spec.yamltree import Tree

# Each file of the rule set and the article its values serve (problems in it cite that article).
MODELS: dict[str, type[BaseModel]] = {
    "catalogue.yaml": Catalogue, "on-demand.yaml": OnDemand,
    "security-baseline.yaml": SecurityBaseline, "naming.yaml": Naming, "agreements.yaml": Agreements,
    "inspection.yaml": Inspection,
}
ARTICLES = {"catalogue.yaml": "art5", "on-demand.yaml": "art15", "security-baseline.yaml": "art20",
            "naming.yaml": "art27", "agreements.yaml": "art22", "inspection.yaml": "art21"}
_RULES = TypeAdapter(Rules)


def parse_policies(texts: Mapping[str, str]) -> PolicySet:
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    trees: dict[str, Tree] = {}
    for name, model in MODELS.items():
        value, tree, found = files.read(model, texts[name], name, ARTICLES[name])
        problems += found
        if value is not None and tree is not None:
            parsed[name], trees[name] = value, tree
    rules, owners = _rules(parsed, trees, problems)
    if problems or len(parsed) < len(MODELS):
        raise PolicyConfigError(problems)
    return PolicySet(parsed["catalogue.yaml"], parsed["on-demand.yaml"], parsed["security-baseline.yaml"],
                     parsed["naming.yaml"], parsed["agreements.yaml"], parsed["inspection.yaml"], rules, owners)


def _rules(parsed: dict[str, Any], trees: dict[str, Tree], problems: list[Problem]) -> tuple[Rules, dict[str, str]]:
    rules: Rules = {}
    where: dict[str, str] = {}
    for name, value in parsed.items():
        try:
            own = _RULES.validate_python(value.rules)
        except ValidationError as exc:
            problems += files.invalid(exc, trees[name], name, ARTICLES[name], prefix=("rules",))
            continue
        for rule_id, rule in own.items():
            problems += _rule_problems(rule_id, rule, name, trees[name])
            rules[rule_id], where[rule_id] = rule, name
    if len(parsed) == len(MODELS):
        for rule_id in PARAMS:
            if rule_id not in rules:
                problems.append(_problem(FILES[rule_id], files.at(trees[FILES[rule_id]], ("rules",), True),
                                         "policy-rule-missing", rule=rule_id))
    return rules, where


def _rule_problems(rule_id: str, rule: RuleDef, name: str, tree: Tree) -> list[Problem]:
    where = ("rules", rule_id)
    if rule_id not in PARAMS:
        return [_problem(name, files.at(tree, where, True), "policy-rule-unknown", rule=rule_id)]
    if FILES[rule_id] != name:
        return [_problem(name, files.at(tree, where, True), "policy-rule-misplaced", rule=rule_id, file=FILES[rule_id])]
    known = PARAMS[rule_id] | COMMON_PARAMS
    found = []
    for part in ("message", "fix"):
        for lang in ("zh", "en"):
            text = getattr(getattr(rule, part), lang)
            unknown = sorted({f for _, f, _, _ in string.Formatter().parse(text) if f} - known)
            if unknown:
                found.append(_problem(name, files.at(tree, where + (part, lang), False), "policy-rule-placeholder",
                                      placeholder=unknown[0], rule=rule_id, known=", ".join(sorted(known))))
    return found


def _problem(name: str, at: tuple[int, int], code: str, **values: str) -> Problem:
    return files.problem(name, at, code, WORDS(code, **values), ARTICLES[name])
