"""Hits -> PolicyFindings: at the offending value's file:line:column, in the office's words (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from provisioner.errors import Location
from provisioner.policy.findings import Hit, PolicyFinding
from provisioner.policy.model import PolicySet
from provisioner.spec.problems import fill, position, values_in
from provisioner.spec.yamltree import Tree, read_yaml


def locate(hits: Iterable[Hit], policies: PolicySet, tree: Tree | None, file: str) -> list[PolicyFinding]:
    found = []
    for hit in hits:
        rule = policies.rules[hit.rule]
        finding = hit.finding
        line, column = finding.at or position(finding, tree)
        zh, en = values_in(finding, "zh"), values_in(finding, "en")
        found.append(PolicyFinding(
            Location(file, line, column), hit.rule, rule.severity, rule.article,
            fill(rule.message.zh, zh), fill(rule.message.en, en), fill(rule.fix.zh, zh), fill(rule.fix.en, en)))
    return sorted(found)


def tree_of(text: str | None, tree: Tree | None = None) -> Tree | None:
    """The positions of a spec: its tree, else (a spec checked elsewhere, or one whose fast read
    kept no marks) read the text again."""
    if tree is not None or text is None:
        return tree
    return read_yaml(text)[0]
