"""`govcloud drift [PATH...]`: what changed in the cloud outside the code, per stack.

For each tenant stack and system stack of the requests: `pulumi refresh
--preview-only` (what the cloud holds against what the stack's state says;
changes nothing), plus the security group rules no stack holds (added by hand:
a refresh cannot see those). Each finding points at the request spec field
the resource serves, as the program recorded it in the stack's `fields` output
(the same field its cloud labels carry), cites art18 (a change needs a change request) and
reads Chinese first, English after.

Exit status: 0 nothing drifted; 4 something drifted (`govcloud apply --refresh`
puts it back); 1 a request or setting is wrong; 2 the engine or the cloud failed. 4,
not 1, so a scheduled job tells drift from a broken request.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.errors import Problem
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: `--help` loads neither Pulumi nor openstacksdk
    from provisioner import apply as apply_job
    from provisioner.spec.findings import Path as FieldPath
    from provisioner.stacks.engine import Drifted

NAME = "drift"
DRIFT_EXIT = 4
ARTICLE = "art18"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="request spec files (default: all)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner import apply as apply_job
    from provisioner.cloud.backups import connect_operator
    from provisioner.cloud.secgroups import stray_rules
    from provisioner.stacks.engine import Engine

    planned = apply_job.discover(settings.root, args.paths)
    engine = Engine(settings)
    conn = connect_operator(settings)
    stacks: list[tuple[str, apply_job.Planned, bool]] = []
    for tenant in sorted({item.tenant for item in planned}):
        stacks.append((tenant, next(i for i in planned if i.tenant == tenant), True))
    stacks += [(item.system, item, False) for item in planned]
    found = 0
    for stack, item, is_tenant in stacks:
        if not engine.exists(stack):
            print(f"{stack}: 尚未创建，跳过 (not created yet, skipped)")
            continue
        _, drifted = engine.drift(stack)
        held = engine.resources(stack)
        stray = [] if is_tenant else stray_rules(conn, held)
        problems = findings(item, drifted, stray, settings.root, is_tenant, spec_fields(held))
        found += len(problems)
        print(f"{stack}: " + (f"{len(problems)} 处漂移 ({len(problems)} drifted)" if problems
                              else "无漂移 (in sync)"))
        for problem in problems:
            print(f"  {problem.render('zh')}")
            print(f"      {problem.text('en')}")
    return DRIFT_EXIT if found else 0


def findings(item: apply_job.Planned, drifted: list[Drifted], stray: list, root: Path | None,
             is_tenant: bool = False, fields: Mapping[str, str] | None = None) -> list[Problem]:
    """Located, bilingual problems for what drifted in one stack (pure but for reading the spec);
    `fields` is the stack's map of resource name -> spec field (spec_fields)."""
    if not drifted and not stray:
        return []
    from provisioner.cloud.preflight import locate, spec_tree

    tree = spec_tree(root, item.spec_path)
    problems = []
    for d in drifted:
        path = ("applicant", "department") if is_tenant else field_of(fields or {}, d.name)
        at = locate(tree, item.spec_path, path, on_key=path in _KEYS)
        if d.op == "delete" or not d.properties:
            problems.append(Problem(
                at, "drift-deleted",
                f"{d.name}（{d.type}）已在云上被删除，而代码仍声明它；`govcloud apply --refresh` 会重建",
                ARTICLE,
                f"{d.name} ({d.type}) was deleted in the cloud but the code still declares it; "
                f"`govcloud apply --refresh` makes it again"))
        else:
            props = ", ".join(d.properties)
            problems.append(Problem(
                at, "drift-changed",
                f"{d.name}（{d.type}）在云上被改动：{props}；`govcloud apply --refresh` 会改回代码中的值",
                ARTICLE,
                f"{d.name} ({d.type}) was changed in the cloud: {props}; `govcloud apply --refresh` puts "
                f"back what the code says"))
    for rule in stray:
        at = locate(tree, item.spec_path, ("resources", "security", "ingress"), on_key=True)
        problems.append(Problem(
            at, "drift-unmanaged",
            f"安全组 {rule.group} 中有一条申请未列出的规则 {rule.text}（{rule.id}），是在代码之外添加的；"
            f"`govcloud apply` 会删除它，需要开放请提交变更申请",
            ARTICLE,
            f"security group {rule.group} has a rule no request lists, {rule.text} ({rule.id}), "
            f"added outside the code; `govcloud apply` removes it; to open it, file a change request"))
    return problems


_KEYS = {("resources", "network"), ("resources", "security"), ("resources",),
         ("resources", "bandwidth", "public_ips")}


def spec_fields(held: list[dict]) -> dict[str, str]:
    """The system stack's `fields` output, as its state holds it: every resource's spec field,
    labelled or not (provisioner/program/system.py). Empty for a stack made before it existed."""
    from provisioner.stacks.engine import STACK_TYPE

    stack = next((r for r in held if r.get("type") == STACK_TYPE), {})
    return dict((stack.get("outputs") or {}).get("fields") or {})


def field_of(fields: Mapping[str, str], resource: str) -> FieldPath:
    """The spec field a system stack's resource serves, as the program recorded it (no name is
    parsed); the resources section when the stack holds no such record."""
    from provisioner.allocation import undotted

    dotted = fields.get(resource)
    return undotted(dotted) if dotted else ("resources",)
