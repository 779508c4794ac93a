"""`govcloud plan --base REF`: what a merge request would do, for its comment (use case; prints nothing).

    git      the specs changed since the merge base (added, modified, deleted, renamed)
    check    validation (provisioner.spec), policy (policycheck), ownership, the ledger's state
    review   the lifecycle action of each spec and the findings (review.py, pure)
    preview  `pulumi preview` of each affected tenant and system stack (through Engine)
    running  what runs of each system, to price a change against (running_specs)
    cost     the yearly cost change at the procured prices (cost.py, pure)
    dates    the deadlines the request starts (deadlines.py, pure)

The preview creates no stack for good: a stack that did not exist before the plan
is removed again (it holds no resources after a preview).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from provisioner.app import apply as apply_job
from provisioner.app.messages import WORDS
from provisioner.calendar import SHANGHAI, WorkCalendar
from provisioner.cloud.preflight import Offer, missing
from provisioner.errors import GovcloudError
from provisioner.app import stackfiles
from provisioner.gitops import cost, deadlines, git
from provisioner.gitops.changes import Change, other_paths, spec_changes
from provisioner.gitops.findings import Finding, Severity, from_problem, ordered
from provisioner.gitops.owners import OWNERS_FILE, Owners, codeowners, department_folders, unowned
from provisioner.gitops.policycheck import policy_findings
from provisioner.gitops.prices import PriceList
from provisioner.gitops.review import Action, Head, Inputs, Item, Review, review
from provisioner.ledger import Ledger, store
from provisioner.lifecycle.classify import FlavorSize
from provisioner.lifecycle.machine import SystemView
from provisioner.lifecycle.states import FINAL_STATES, State
from provisioner.policy.store import Policies
from provisioner.regulation import TRIAL_DAYS
from provisioner.settings import Settings
from provisioner.spec import MAX_SPEC_BYTES, RequestSpec, check_file, check_text
from provisioner.spec.location import place, read_limited
from provisioner.stacks.engine import Engine, PlannedStep

CODEOWNERS_FILE = "CODEOWNERS"
PREVIEWS_AT_ONCE = 4
STACK_ACTIONS = (Action.NEW, Action.CHANGE_MINOR, Action.CHANGE_MAJOR, Action.TRIAL_UPDATE)


@dataclass(frozen=True)
class Preview:
    stack: str
    status: str                                  # ok | failed | skipped | off
    changes: dict[str, int] = field(default_factory=dict)
    steps: tuple[PlannedStep, ...] = ()
    zh: str = ""                                 # why skipped, or the error
    en: str = ""
    started: float = 0.0                         # clock reading when the preview began
    seconds: float = 0.0


@dataclass(frozen=True)
class Running:
    """What runs of a system, the "before" of its cost change (art18: a change is priced as the change).

    ledger  the spec the ledger stores for its live generation (the request in force, changes applied)
    stack   the spec its stack file was rendered from at the merge base: a system the ledger holds
            without a spec (adopted from its stacks), or one that runs but that the ledger does not hold
    """

    spec: RequestSpec
    source: str             # ledger | stack
    reference: str          # the request number (ledger) or the spec's path at the base (stack)


@dataclass(frozen=True)
class PlanItem:
    item: Item
    cost: cost.Delta | None
    deadlines: tuple[deadlines.Stated, ...]
    running: Running | None = None          # what the cost change was priced against, when something runs


@dataclass(frozen=True)
class Plan:
    base_ref: str
    base: str
    head: str
    now: datetime
    items: tuple[PlanItem, ...]
    findings: tuple[Finding, ...]                 # every finding, items' and the merge request's, ordered
    previews: dict[str, Preview]
    prices: PriceList | None
    preview_seconds: float = 0.0                  # wall time with a `pulumi preview` running
    total_seconds: float = 0.0                    # the whole plan, in process

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


@dataclass(frozen=True)
class Options:
    base_ref: str
    now: datetime
    author_department: str | None = None
    preview: bool = True


# -- gathering (the edges) ---------------------------------------------------------------------

def _heads(root: Path, changes: list[Change]) -> dict[str, Head]:
    heads = {}
    for change in changes:
        if change.head_path is None:
            continue
        checked = check_file(root / change.head_path, root)
        heads[change.head_path] = Head(change.head_path, checked.spec, tuple(checked.problems), checked.text or "")
    return heads


def _bases(root: Path, revision: str, changes: list[Change]) -> dict[str, RequestSpec | None]:
    bases = {}
    for change in changes:
        if change.base_path is None:
            continue
        data = git.show(root, revision, change.base_path)
        text = data.decode("utf-8", errors="replace") if data is not None else None
        bases[change.base_path] = check_text(text, change.base_path).spec if text is not None else None
    return bases


def live_views(ledger_url: str, keys: set[str]) -> dict[str, SystemView]:
    """Each system's newest generation that is not rejected or terminated."""
    if not keys:
        return {}
    ledger = Ledger.open(ledger_url)
    try:
        with ledger.transaction() as conn:
            found = {}
            for key in sorted(keys):
                live = [g for g in store.generations(conn, key) if g.state not in FINAL_STATES]
                if live:
                    found[key] = live[-1]
            return found
    finally:
        ledger.close()


def running_specs(ledger_url: str, root: Path, base: str, keys: set[str]) -> dict[str, Running]:
    """Each system's running spec: the ledger's for its live generation, else its stack's at `base`."""
    found: dict[str, Running] = {}
    if keys:
        ledger = Ledger.open(ledger_url)
        try:
            with ledger.transaction() as conn:
                for key in sorted(keys):
                    live = [g for g in store.generations(conn, key) if g.state not in FINAL_STATES]
                    stored = store.row(conn, live[-1].id).spec if live and live[-1].id is not None else None
                    spec = _valid(stored)
                    if spec is not None:
                        found[key] = Running(spec, "ledger", live[-1].request_id)
        finally:
            ledger.close()
    for key in sorted(keys - set(found)):
        stacked = stack_spec(root, base, key)
        if stacked is not None:
            found[key] = stacked
    return found


def _valid(stored: Any) -> RequestSpec | None:
    """A stored spec that no longer validates under today's model is not trusted for pricing."""
    if stored is None:
        return None
    try:
        return RequestSpec.model_validate(stored)
    except ValidationError:
        return None


def stack_spec(root: Path, base: str, key: str) -> Running | None:
    """The spec the system's stack file names (`govcloud:spec`), both as they were at `base`."""
    stack_file = git.show(root, base, f"stacks/Pulumi.{key}.yaml")
    if stack_file is None:
        return None
    try:
        path = ((yaml.safe_load(stack_file) or {}).get("config") or {}).get("govcloud:spec")
    except yaml.YAMLError:
        return None
    data = git.show(root, base, str(path)) if path else None
    spec = check_text(data.decode("utf-8", errors="replace"), str(path)).spec if data is not None else None
    return Running(spec, "stack", f"{path}@{base[:8]}") if spec is not None else None


def _duplicate_ids(root: Path, heads: dict[str, Head]) -> list[Finding]:
    """A request number used by another spec of the repository (a cheap scan, not a full validation)."""
    wanted = {h.spec.metadata.request_id: path for path, h in heads.items() if h.spec is not None}
    if not wanted:
        return []
    pattern = re.compile(r"^\s*request_id:\s*[\"']?([A-Z]{2,6}-\d{4}-\d{4})", re.MULTILINE)
    found = []
    for other in sorted((root / "request_specs").glob("*/*.yaml")):
        placed = place(other, root)          # never through a link (the review refuses those)
        data = placed.refused or read_limited(placed.file, MAX_SPEC_BYTES)  # type: ignore[arg-type]
        shown = placed.shown
        if shown in heads or not isinstance(data, bytes):
            continue
        for match in pattern.finditer(data.decode("utf-8", errors="replace")):
            path = wanted.get(match.group(1))
            if path is not None:
                found.append(Finding.said(Severity.MANDATORY, "request-id-duplicate",
                                          WORDS("request-id-duplicate", request=match.group(1), path=shown), path,
                                          article="art14"))
    return found


def _owners(policies: Policies) -> tuple[Owners | None, list[Finding]]:
    root = policies.root
    if not (root / OWNERS_FILE).exists():
        return None, [Finding.said(Severity.ADVISORY, "owners-file-missing", WORDS("owners-file-missing"), OWNERS_FILE)]
    owners = policies.owners
    found = [Finding.said(Severity.MANDATORY, "owners-missing", WORDS("owners-folder-unregistered", department=code),
                          f"request_specs/{code}/")
             for code in unowned(owners, department_folders(root))]
    committed = root / CODEOWNERS_FILE
    if committed.exists():
        try:
            wanted = codeowners(owners, department_folders(root))
        except GovcloudError:
            wanted = None          # an unowned folder: reported per department by the review
        if wanted is not None and committed.read_text(encoding="utf-8") != wanted:
            found.append(Finding.said(Severity.MANDATORY, "codeowners-stale", WORDS("codeowners-stale"), CODEOWNERS_FILE))
    return owners, found


def gather(settings: Settings, options: Options, revisions: git.Revisions) -> Review:
    root = settings.root
    changed = git.changes(root, revisions.base)
    specs = spec_changes(changed)
    heads = _heads(root, specs)
    bases = _bases(root, revisions.base, specs)
    keys = {f"{s.region}.{s.department}.{s.metadata.system}" for s in
            [h.spec for h in heads.values()] + list(bases.values()) if s is not None}
    owners, extra = _owners(settings.policies)
    policy = policy_findings(settings.policies, {path: (h.spec, h.text) for path, h in heads.items() if h.spec is not None},
                             options.now.astimezone(SHANGHAI).date())
    inputs = Inputs(specs, other_paths(changed), heads, bases, live_views(settings.ledger_url, keys),
                    settings.policies.classification, settings.policies.catalogue.flavors, owners, options.author_department, policy,
                    extra + _duplicate_ids(root, heads))
    return review(inputs)


# -- previews ------------------------------------------------------------------------------------

def stacks_to_preview(result: Review) -> list[Item]:
    return [item for item in result.items if item.action in STACK_ACTIONS and not item.blocked]


def _phase(item: Item) -> str | None:
    return "production" if item.state in (State.PRODUCTION, State.CHANGING) else None


def render_files(settings: Settings, items: list[Item]) -> tuple[stackfiles.Rendered, list[Finding]]:
    planned = [(apply_job.Planned(i.spec, i.change.path, i.tenant_key, i.system_key), _phase(i))
               for i in items if i.spec is not None]
    rendered = stackfiles.render(settings, [i.department for i in items], planned)
    found = [Finding.said(Severity.ADVISORY, "stack-file-stale", WORDS("stack-file-stale"),
                          path.relative_to(settings.root).as_posix()) for path in rendered.written]
    for dept, problems in rendered.problems.items():
        found.append(Finding.said(Severity.MANDATORY, "tenant-unrenderable",
                                  WORDS("tenant-unrenderable", department=dept, problem=problems[0]),
                                  f"request_specs/{dept}/"))
    return rendered, found


def run_previews(engine: Engine, items: list[Item], existing: Future[set[str]],
                 clock: Callable[[], float] = time.perf_counter) -> dict[str, Preview]:
    """Every affected stack's preview, all at once (each is its own `pulumi preview`; none takes a lock).

    `existing` (the stacks in the backend before the plan) is being listed meanwhile. A
    system whose tenant stack does not exist yet cannot be previewed (it reads its project
    id there): its attempt is replaced by "skipped" and not counted as preview time.
    Stacks the previews had to create are removed again afterwards.
    """
    stacks = sorted({i.tenant_key for i in items if i.tenant_key}) + [i.system_key for i in items if i.system_key]
    tenant_of = {i.system_key: i.tenant_key for i in items}
    with ThreadPoolExecutor(max_workers=PREVIEWS_AT_ONCE) as pool:
        done = dict(zip(stacks, pool.map(lambda stack: _preview(engine, stack, clock), stacks)))
        before = existing.result()
        list(pool.map(engine.remove, [stack for stack in done if stack not in before]))
    for system, tenant in tenant_of.items():
        if system is not None and tenant not in before:
            skipped = WORDS("tenant-not-created", tenant=tenant)
            done[system] = Preview(system, "skipped", zh=skipped.render("zh"), en=skipped.render("en"))
    return done


def _preview(engine: Engine, stack: str, clock: Callable[[], float]) -> Preview:
    start = clock()
    try:
        outcome, steps = engine.preview_steps(stack)
    except GovcloudError as exc:
        return Preview(stack, "failed", zh=_tail(exc.render("zh")), en=_tail(exc.render("en")), started=start,
                       seconds=clock() - start)
    return Preview(stack, "ok", outcome.changes, tuple(steps), started=start, seconds=clock() - start)


def busy_seconds(previews: dict[str, Preview]) -> float:
    """Wall time during which at least one preview ran (they run at once)."""
    spans = sorted((p.started, p.started + p.seconds) for p in previews.values() if p.seconds)
    total, reach = 0.0, float("-inf")
    for begin, end in spans:
        if end > reach:
            total += end - max(begin, reach)
            reach = end
    return total


def _tail(text: str, lines: int = 12) -> str:
    kept = [line for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def preview_findings(previews: dict[str, Preview]) -> list[Finding]:
    return [Finding.said(Severity.MANDATORY, "preview-failed", WORDS("preview-failed", stack=p.stack))
            for p in previews.values() if p.status == "failed"]


# -- cost and deadlines ----------------------------------------------------------------------------

def item_cost(item: Item, prices: PriceList | None, flavors: Mapping[str, FlavorSize],
              running: Running | None = None) -> cost.Delta:
    """The yearly cost change: against what runs when anything does (never the whole system as new),
    else against the spec at the merge base, else (a new system) against nothing."""
    if running is not None:
        before = cost.quantities(running.spec, flavors)
    elif item.base is not None and item.action != Action.NEW:
        before = cost.quantities(item.base, flavors)
    else:
        before = cost.NOTHING
    if item.action == Action.TERMINATE:
        after = cost.NOTHING
    elif item.action == Action.NOTHING or item.spec is None:
        after = before
    else:
        after = cost.quantities(item.spec, flavors)
    owner = item.spec or item.base
    yearly = prices.yearly(owner.region) if prices is not None and owner is not None else {}
    return cost.delta(before, after, yearly)


def item_deadlines(item: Item, now: datetime, calendar: WorkCalendar) -> tuple[deadlines.Stated, ...]:
    if item.blocked:
        return ()
    if item.action in (Action.NEW, Action.CHANGE_MAJOR):
        days = item.spec.trial.days if item.spec is not None else TRIAL_DAYS
        return tuple(deadlines.full_flow(now, calendar, item.migration, days))
    if item.action == Action.CHANGE_MINOR:
        return tuple(deadlines.minor_change(now, calendar))
    if item.action == Action.TERMINATE:
        return tuple(deadlines.termination())
    return ()


# -- the use case ----------------------------------------------------------------------------------

def offer_findings(items: list[Item], offer: Offer, policies: Policies | None = None
                   ) -> tuple[list[Item], list[Finding]]:
    """The items whose flavors, images and volume types the cloud offers, and findings for the
    others (with `policies`, also what the catalogue does not offer, each at its spec field's line)."""
    root, catalogue = (policies.root, policies.catalogue) if policies is not None else (None, None)
    kept, found = [], []
    for item in items:
        assert item.spec is not None
        missing_here = missing(item.spec, item.change.path, offer, root, catalogue)
        found += [from_problem(p) for p in missing_here]
        if not missing_here:
            kept.append(item)
    return kept, found


def plan(settings: Settings, options: Options, calendar: WorkCalendar, prices: PriceList | None,
         engine_factory: Callable[[], Engine] | None, offer_factory: Callable[[], Offer] | None = None,
         clock: Callable[[], float] = time.perf_counter) -> Plan:
    started = clock()
    with ThreadPoolExecutor(max_workers=3) as pool:
        # Starting the engine and reading the cloud's offer is mostly waiting on other
        # programs: begin both while git and the checks run (unused if nothing needs a preview).
        preview = options.preview and engine_factory is not None
        engine = pool.submit(engine_factory) if preview and engine_factory is not None else None
        offer = pool.submit(offer_factory) if preview and offer_factory is not None else None
        revisions = git.revisions(settings.root, options.base_ref)
        result = gather(settings, options, revisions)
        targets = stacks_to_preview(result)
        _, found = render_files(settings, targets) if targets else (None, [])
        previews: dict[str, Preview] = {}
        if targets and engine is not None:
            ready = engine.result()
            previews = run_previews(ready, targets, pool.submit(ready.stack_names), clock)
            if offer is not None:
                found += offer_findings(targets, offer.result(), settings.policies)[1]
        elif targets:
            off = WORDS("preview-off")
            previews = {s: Preview(s, "off", zh=off.render("zh"), en=off.render("en"))
                        for i in targets for s in (i.tenant_key, i.system_key) if s}
    found += preview_findings(previews)
    flavors = settings.policies.catalogue.flavors
    running = running_specs(settings.ledger_url, settings.root, revisions.base,
                            {i.system_key for i in result.items if i.system_key})
    items = tuple(PlanItem(i, item_cost(i, prices, flavors, running.get(i.system_key or "")),
                           item_deadlines(i, options.now, calendar), running.get(i.system_key or ""))
                  for i in result.items)
    findings = tuple(ordered(result.all_findings + found))
    return Plan(options.base_ref, revisions.base, revisions.head, options.now, items, findings, previews, prices,
                busy_seconds(previews), clock() - started)
