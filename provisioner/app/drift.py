"""Drift: what changed in the cloud outside the code, per stack (`govcloud drift`).

For each tenant stack and system stack of the requests: `pulumi refresh --preview-only`
(what the cloud holds against what the stack's state says; changes nothing), plus the
security group rules no stack holds (added by hand: a refresh cannot see those). Each
finding points at the request spec field the resource serves, as the program recorded it
in the stack's `fields` output (the same field its cloud labels carry), cites art18 (a
change needs a change request) and reads Chinese first, English after.

A stack that cannot be read at all (its department's project was deleted by hand: its
provider gets 401) is reported as `missing-project` at the request's department line,
and drift goes on with the next stack; `govcloud repair STACK` rebuilds it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.app.messages import WORDS
from provisioner.errors import CloudError, EngineError, GovcloudError, Problem
from provisioner.naming import project_name
from provisioner.pending_creates import PROJECT, project_made, project_of

if TYPE_CHECKING:       # imported where used: the CLI's `--help` loads neither Pulumi nor openstacksdk
    from provisioner.app import apply as apply_job
    from provisioner.spec.yamltree import Tree
    from provisioner.stacks.engine import Drifted, Engine

ARTICLE = "art18"


@dataclass(frozen=True)
class StackDrift:
    """One stack's drift: not created yet, not checkable (`error`), or checked (`problems`)."""

    stack: str
    created: bool = True
    error: GovcloudError | None = None             # why it could not be checked (said in the reader's language)
    problems: list[Problem] = field(default_factory=list)


def drift(planned: list[apply_job.Planned], engine: Engine, conn: object, root: Path | None) -> Iterator[StackDrift]:
    """Every tenant stack of the requests, then their system stacks, each as it is checked (a
    refresh can take a minute); one broken stack hides no other."""
    from provisioner.cloud.secgroups import stray_rules
    from provisioner.stacks.fields import spec_fields

    stacks: list[tuple[str, apply_job.Planned, bool]] = []
    for tenant in sorted({item.tenant for item in planned}):
        stacks.append((tenant, next(i for i in planned if i.tenant == tenant), True))
    stacks += [(item.system, item, False) for item in planned]
    for stack, item, is_tenant in stacks:
        try:
            if not engine.exists(stack):
                yield StackDrift(stack, created=False)
                continue
            _, drifted = engine.drift(stack)
            held = engine.resources(stack)
            stray = [] if is_tenant else stray_rules(conn, held)
            problems = findings(item, drifted, stray, root, is_tenant, spec_fields(held))
        except (EngineError, CloudError) as exc:
            # One broken stack must not hide the others: say why, and go on.
            problems = broken(conn, engine, stack, item, root)
            if not problems:
                yield StackDrift(stack, error=exc)
                continue
        yield StackDrift(stack, problems=problems)


def broken(conn: object, engine: Engine, stack: str, item: apply_job.Planned, root: Path | None) -> list[Problem]:
    """Why a stack could not be read, when the cloud says: its project was deleted by hand."""
    import keystoneauth1.exceptions
    import openstack

    from provisioner.cloud.lookups import by_id

    try:
        held = engine.resources(stack)
        project = project_made(held) or project_of({"resources": held})
        if not project or by_id(conn.identity.get_project, project) is not None:
            return []
    except (EngineError, openstack.exceptions.SDKException, keystoneauth1.exceptions.ClientException):
        return []                       # the cloud cannot say either: the stack's own error stands
    from provisioner.cloud.preflight import spec_tree

    return [missing_project(item, stack, project, spec_tree(root, item.spec_path))]


def missing_project(item: apply_job.Planned, stack: str, project_id: str | None, tree: Tree | None,
                    article: str = ARTICLE) -> Problem:
    """A tenant stack's Keystone project is gone (deleted by hand): drift finds it, repair rebuilds it;
    both say it in these words, at the request's department line."""
    from provisioner.cloud.preflight import locate, said_problem

    at = locate(tree, item.spec_path, ("applicant", "department"))
    name = project_name(item.spec.region, item.spec.department)
    project = WORDS("project-with-id", name=name, id=project_id) if project_id else name
    return said_problem(at, "missing-project", article, WORDS("missing-project", project=project, stack=stack))


def findings(item: apply_job.Planned, drifted: list[Drifted], stray: list, root: Path | None,
             is_tenant: bool = False, fields: Mapping[str, str] | None = None) -> list[Problem]:
    """Located, bilingual problems for what drifted in one stack (pure but for reading the spec);
    `fields` is the stack's map of resource name -> spec field (spec_fields)."""
    if not drifted and not stray:
        return []
    from provisioner.cloud.preflight import locate, said_problem, spec_tree
    from provisioner.stacks.fields import KEYS, field_of

    tree = spec_tree(root, item.spec_path)
    problems = []
    stack = item.tenant if is_tenant else item.system
    for d in drifted:
        path = ("applicant", "department") if is_tenant else field_of(fields or {}, d.name)
        at = locate(tree, item.spec_path, path, on_key=path in KEYS)
        if is_tenant and d.type == PROJECT and d.op == "delete":
            problems.append(missing_project(item, stack, None, tree))
        elif d.op == "delete" or not d.properties:
            problems.append(said_problem(at, "missing-resource", ARTICLE,
                                         WORDS("drift-missing-resource", name=d.name, type=d.type, stack=stack)))
        else:
            problems.append(said_problem(at, "drift-changed", ARTICLE, WORDS(
                "drift-changed", name=d.name, type=d.type, properties=", ".join(d.properties))))
    for rule in stray:
        at = locate(tree, item.spec_path, ("resources", "security", "ingress"), on_key=True)
        problems.append(said_problem(at, "drift-unmanaged", ARTICLE,
                                     WORDS("drift-unmanaged", group=rule.group, rule=rule.text, id=rule.id)))
    return problems
