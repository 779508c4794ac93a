"""`govcloud adopt`: bring systems whose stacks already run under the ledger, rebuilding nothing.

A system stack made before the ledger was the spine (an older main job) or by a hand-run
`pulumi up` is in the state backend but not in the ledger: nothing would meter, bill,
promote or terminate it. Every resource govcloud's program makes carries the labels
region, department, system, phase and request (Nova/Cinder metadata `govcloud_<key>`,
Neutron/Nova tags `key=value`), and Pulumi's state records when each resource was
created and last modified. From the stack's state (`pulumi stack export`, no cloud call):

    system      region / department / system labels (they must name the stack)
    request     the request label
    phase       production when every labelled resource says production; trial otherwise
                (a promotion cut short is finished by reconcile, not guessed here)
    trial start the earliest `created` of its resources
    go-live     in production, the earliest `modified` of its labelled resources: the
                promotion rewrote every label in place, a stack made in production never
                changed them (so modified = created)

Each is recorded as an accepted request and a generation in that phase (event `adopted`,
with what it was read from). A system the ledger already knows is left alone, so adopt
is idempotent: a second run records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from provisioner.app.messages import WORDS
from provisioner.clock import utc_moment_or_none
from provisioner.errors import SpecError
from provisioner.ledger import store
from provisioner.ledger.adoption import Adoption, record_adoption
from provisioner.ledger.running import ledger_systems
from provisioner.ledger.workflow import Context
from provisioner.spec import RequestSpec, load_spec
from provisioner.stacks import config
from provisioner.words import Text

LABELS = ("region", "department", "system", "phase", "request")


@dataclass(frozen=True)
class Skipped:
    stack: str
    reason: Text

    def text(self, lang: str) -> str:
        return WORDS.say("adopt-skipped", lang, stack=self.stack, reason=self.reason)


def labels_of(outputs: Mapping[str, Any]) -> dict[str, str]:
    """A resource's govcloud labels, from its metadata or its `key=value` tags."""
    found: dict[str, str] = {}
    for key, value in (outputs.get("metadata") or {}).items():
        if key.startswith("govcloud_") and key.removeprefix("govcloud_") in LABELS:
            found[key.removeprefix("govcloud_")] = str(value)
    for tag in outputs.get("tags") or ():
        key, sep, value = str(tag).partition("=")
        if sep and key in LABELS:
            found.setdefault(key, value)
    return found


def read_stack(stack: str, resources: Iterable[Mapping[str, Any]]) -> Adoption | Skipped | None:
    """What a system stack's state says about the system it holds (pure); None: it holds nothing
    (never made, or destroyed), so nothing runs to account for."""
    held = [r for r in resources if r.get("custom") and not str(r.get("type", "")).startswith("pulumi:")]
    if not held:
        return None
    labelled = [(labels, r) for r in held if (labels := labels_of(r.get("outputs") or {}))]
    if not labelled:
        return Skipped(stack, WORDS("adopt-no-labels"))
    names = {tuple(labels.get(k, "") for k in ("region", "department", "system")) for labels, _ in labelled}
    requests = {labels.get("request", "") for labels, _ in labelled}
    if len(names) != 1 or ".".join(next(iter(names))) != stack or len(requests) != 1 or "" in requests:
        return Skipped(stack, WORDS("adopt-labels-disagree", systems=sorted(names), requests=sorted(requests)))
    region, department, system = next(iter(names))
    phases = {labels.get("phase") for labels, _ in labelled}
    phase = "production" if phases == {"production"} else "trial"
    created = [m for _, r in labelled if (m := utc_moment_or_none(r.get("created")))]
    modified = [m for _, r in labelled if (m := utc_moment_or_none(r.get("modified") or r.get("created")))]
    if not created:
        return Skipped(stack, WORDS("adopt-no-created"))
    return Adoption(system_key=stack, region=region, department=department, system=system,
                    request_id=requests.pop(), phase=phase, trial_started_at=min(created),
                    go_live_at=min(modified) if phase == "production" else None,
                    labelled_resources=len(labelled), mixed_phases=len(phases) > 1)


def adoptable_stacks(stack_names: Iterable[str], known: Iterable[str]) -> list[str]:
    """System stacks (`<region>.<department>.<system>`) whose system the ledger has no live generation of."""
    return sorted(name for name in stack_names if name.count(".") == 2 and name not in set(known))


def spec_of(root: Path, stack: str) -> tuple[str | None, RequestSpec | None]:
    """The request spec the stack file names (govcloud:spec), if it is there and valid."""
    path = config.current_setting(config.config_path(root, stack), "govcloud:spec")
    if not path or not (root / str(path)).exists():
        return None, None
    try:
        return str(path), load_spec((root / str(path)).resolve(), root)
    except SpecError:
        return str(path), None


class StackReader(Protocol):
    """What adopt needs from the engine (stacks.engine.Engine has both)."""

    def stack_names(self) -> set[str]: ...
    def resources(self, name: str) -> list[dict]: ...


def adopt(ctx: Context, root: Path, engine: StackReader) -> tuple[list[Adoption], list[Skipped]]:
    with ctx.ledger.transaction() as conn:
        known = ledger_systems(conn)
    adopted, skipped = [], []
    for stack in adoptable_stacks(engine.stack_names(), known):
        found = read_stack(stack, engine.resources(stack))
        if found is None:
            continue
        if isinstance(found, Skipped):
            skipped.append(found)
            continue
        with ctx.ledger.transaction() as conn:
            recorded = store.request_row(conn, found.request_id)
        if recorded is not None:
            skipped.append(Skipped(stack, WORDS("adopt-already-recorded", request=found.request_id,
                                                decision=recorded.decision)))
            continue
        path, spec = spec_of(root, stack)
        if spec is not None and spec.metadata.request_id != found.request_id:
            spec = None             # the file moved on to another request: keep only what runs
        adopted.append(record_adoption(ctx, found, spec, path))
    return adopted, skipped
