"""The status page's model (pure): what each page of the set shows, already in the reader's language.

    index.html              the city and each county (region): systems per phase, deadlines due within
                            DUE_SOON days, overdue, this year's cost; what needs attention first;
                            service agreements ending within warn_days (art22)
    r/<region>.html         the region's departments
    d/<region>.<dept>.html  each system: phase, next deadline (who owes it, days left: working days, calendar days for the trial), trial end,
                            breaches, utilisation, this year's cost; links to its request spec, its stacks
                            and its ledger history; the department's agreements ending soon
    s/<system key>.html     one system: the same, utilisation per resource, every ledger event

Hrefs are relative to the page set's root (templates prefix them with the way up from the page);
links into the repository go through `Inputs.repo`, the repository root seen from the page set's root.
Nothing here reads a file or the clock: `now` is the status's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from provisioner.billing import money
from provisioner.billing.messages import REGIONS, region_name
from provisioner.calendar import SHANGHAI, WorkCalendar, local_date
from provisioner.ledger.history import HistoryEvent
from provisioner.lifecycle.messages import event_text, party_names, phase_name
from provisioner.lifecycle.states import WORKING_DAY_RULES
from provisioner.metering.resources import BY_KEY
from provisioner.policy.model import Agreement
from provisioner.statuspage.messages import WORDS
from provisioner.words import listing
from provisioner.app.status import Status, SystemStatus

DUE_SOON = 3            # days (working days, or calendar days for the trial): this close is "needs attention"
ATTENTION_ROWS = 100    # the overview lists at most this many; the departments' pages list all
_PHASE_ORDER = ("submitted", "accepted", "trial", "changing", "production", "terminating", "handover", "rejected",
                "terminated")


@dataclass(frozen=True)
class Inputs:
    status: Status
    calendar: WorkCalendar
    lang: str
    repo: str                                           # the repository root, relative to the page set's root
    files: frozenset[str]                               # repository files that exist (posix, from the root)
    department_names: Mapping[str, str] = field(default_factory=dict)
    utilisation: Mapping[str, Mapping[str, Sequence[float]]] | None = None   # key -> kind -> (granted_s, used_s)
    histories: Mapping[str, Sequence[HistoryEvent]] = field(default_factory=dict)
    expiring: Sequence[tuple[str, Agreement, int]] = ()  # (department, agreement, days left), art22
    warn_days: int = 30


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None                 # None: the file does not exist in the repository
    path: str                        # in the repository


@dataclass(frozen=True)
class SystemRow:
    key: str
    region: str
    department: str
    department_name: str
    system: str
    phase: str
    phase_label: str
    deadline: str                    # "2026-12-17 art16-trial" (to the day's end), "?" on a guessed calendar
    owed_by: str
    days_left: int | None            # working days; negative: overdue by that many
    days_text: str
    urgency: str                     # overdue | due | soon | "" (CSS class)
    trial_end: str
    breaches: str
    held: bool
    utilisation: str
    year_cost: str
    month_cost: str
    cost: Decimal | None             # this year's, for the totals; None: a rate is missing
    spec: Link
    stacks: tuple[Link, ...]
    history: str
    department_href: str


@dataclass(frozen=True)
class Summary:
    systems: int
    phases: str                      # "生产 3、试用 1"
    due_soon: int
    overdue: int
    held: int
    year_cost: str


@dataclass(frozen=True)
class AgreementRow:
    department: str
    department_name: str
    agreement: str
    ends: str
    days_left: str
    department_href: str


@dataclass(frozen=True)
class DepartmentPage:
    region: str
    region_name: str
    code: str
    name: str
    href: str
    summary: Summary
    systems: tuple[SystemRow, ...]
    agreements: tuple[AgreementRow, ...]


@dataclass(frozen=True)
class RegionPage:
    code: str
    name: str
    href: str
    summary: Summary
    departments: tuple[DepartmentPage, ...]


@dataclass(frozen=True)
class EventRow:
    at: str
    generation: int
    rule: str
    text: str
    actor: str


@dataclass(frozen=True)
class SystemPage:
    row: SystemRow
    region_name: str
    utilisation_by_kind: tuple[tuple[str, str], ...]
    events: tuple[EventRow, ...]


@dataclass(frozen=True)
class Site:
    lang: str
    now: str
    year: int
    priced: bool
    uncertain: bool
    total: Summary
    regions: tuple[RegionPage, ...]
    attention: tuple[SystemRow, ...]
    attention_more: int
    agreements: tuple[AgreementRow, ...]
    warn_days: int
    chart: tuple[tuple[str, float], ...]          # (region name, this year's cost), regions with systems
    systems: tuple[SystemPage, ...]


def build(inputs: Inputs) -> Site:
    lang, status = inputs.lang, inputs.status
    today = local_date(status.at)
    rows = [system_row(s, inputs, today) for s in status.systems]
    pages = tuple(SystemPage(r, region_name(r.region, lang), _by_kind(inputs.utilisation, r.key, lang),
                             _events(inputs.histories.get(r.key, ()), lang)) for r in rows)
    agreements = [_agreement(dept, a, days, inputs) for dept, a, days in inputs.expiring]
    by_region: dict[str, list[SystemRow]] = {}
    for r in rows:
        by_region.setdefault(r.region, []).append(r)
    regions = tuple(_region(code, by_region.get(code, []), agreements, inputs) for code in _region_codes(rows))
    attention = sorted((r for r in rows if r.urgency or r.held), key=_attention_order)
    return Site(lang, _local(status.at), status.month.year, status.priced,
                any(s.duty and s.duty.uncertain for s in status.systems), summary(rows, lang), regions,
                tuple(attention[:ATTENTION_ROWS]), max(0, len(attention) - ATTENTION_ROWS), tuple(agreements), inputs.warn_days,
                tuple((region.name, float(_total(r for d in region.departments for r in d.systems) or 0))
                      for region in regions if region.summary.systems),
                pages)


def system_row(s: SystemStatus, inputs: Inputs, today: date) -> SystemRow:
    lang = inputs.lang
    duty = s.duty
    working = bool(duty and duty.rule in WORKING_DAY_RULES)
    days = None
    if duty and duty.at:
        due = local_date(duty.at)
        days = working_days_left(inputs.calendar, today, due) if working else (due - today).days
    overdue = bool(duty and duty.at and duty.at < inputs.status.at)
    deadline = ""
    if duty is not None:
        deadline = f"{_local(duty.at, '%Y-%m-%d') if duty.at else '-'}{'?' if duty.uncertain else ''} {duty.rule}"
    return SystemRow(
        s.key, s.region, s.department, inputs.department_names.get(s.department, s.department), s.system, s.phase,
        phase_name(s.phase, lang), deadline, party_names(duty.owed_by, lang) if duty else "", days,
        _days_text(days, overdue, lang, working), _urgency(days, overdue), _local(s.trial_end, "%Y-%m-%d"),
        " ".join(s.breached), s.held, utilisation_text(inputs.utilisation, s.key, lang), _money(s.year_cost, lang),
        _money(s.month_cost, lang), s.year_cost, _spec_link(s, inputs), _stack_links(s, inputs), f"s/{s.key}.html",
        department_href(s.region, s.department))


def working_days_left(calendar: WorkCalendar, today: date, due: date) -> int:
    """Working days from today to the due day, counting the due day and not today: 0 when due today;
    negative when past (how many working days since, today counted)."""
    first, last, sign = (today, due, 1) if due >= today else (due, today, -1)
    days = min((last - first).days, 3660)
    return sign * sum(1 for i in range(1, days + 1) if calendar.is_working_day(first + timedelta(days=i)))


def utilisation_text(utilisation: Mapping[str, Mapping[str, Sequence[float]]] | None, key: str, lang: str) -> str:
    ratios = _ratios(utilisation, key)
    return WORDS.say("no-data", lang) if not ratios else _pct(sum(ratios.values()) / len(ratios))


def summary(rows: Sequence[SystemRow], lang: str) -> Summary:
    phases = Counter(r.phase for r in rows)
    listed = listing((f"{phase_name(p, lang)} {phases[p]}" for p in _PHASE_ORDER if phases[p]), lang)
    total = _money(_total(rows), lang)
    return Summary(len(rows), listed, sum(r.urgency in ("due", "soon") for r in rows),
                   sum(r.urgency == "overdue" for r in rows), sum(r.held for r in rows), total)


def department_href(region: str, department: str) -> str:
    return f"d/{region}.{department}.html"


def _total(rows: Iterable[SystemRow]) -> Decimal | None:
    costs = [r.cost for r in rows]
    return None if None in costs else sum((c for c in costs if c is not None), Decimal("0.00"))


def _region(code: str, rows: list[SystemRow], agreements: list[AgreementRow], inputs: Inputs) -> RegionPage:
    lang = inputs.lang
    by_department: dict[str, list[SystemRow]] = {}
    for r in rows:
        by_department.setdefault(r.department, []).append(r)
    departments = []
    for dept in sorted(by_department):
        mine = tuple(by_department[dept])
        departments.append(DepartmentPage(code, region_name(code, lang), dept, mine[0].department_name,
                                          department_href(code, dept), summary(mine, lang), mine,
                                          tuple(a for a in agreements if a.department == dept)))
    return RegionPage(code, region_name(code, lang), f"r/{code}.html", summary(rows, lang), tuple(departments))


def _region_codes(rows: Iterable[SystemRow]) -> list[str]:
    """The city and every county, in the regulation's order; then any region the ledger knows besides."""
    return list(REGIONS) + sorted({r.region for r in rows} - set(REGIONS))


def _agreement(department: str, agreement: Agreement, days: int, inputs: Inputs) -> AgreementRow:
    lang = inputs.lang
    return AgreementRow(department, inputs.department_names.get(department, department), agreement.id,
                        agreement.ends.isoformat(), WORDS.say("art22-days", lang, n=days),
                        _department_of(department, inputs))


def _department_of(department: str, inputs: Inputs) -> str:
    """The department's page, if it has systems (an agreement can precede every request)."""
    found = next((s for s in inputs.status.systems if s.department == department), None)
    return department_href(found.region, department) if found else ""


def _spec_link(s: SystemStatus, inputs: Inputs) -> Link:
    for suffix in (".yaml", ".yml"):
        path = f"request_specs/{s.department}/{s.system}{suffix}"
        if path in inputs.files:
            return Link(f"{s.system}{suffix}", f"{inputs.repo}{path}", path)
    return Link(f"{s.system}.yaml", None, f"request_specs/{s.department}/{s.system}.yaml")


def _stack_links(s: SystemStatus, inputs: Inputs) -> tuple[Link, ...]:
    links = []
    for stack in (f"{s.region}.{s.department}", s.key):          # the tenant's stack, then the system's
        path = f"stacks/Pulumi.{stack}.yaml"
        links.append(Link(stack, f"{inputs.repo}{path}" if path in inputs.files else None, path))
    return tuple(links)


def _ratios(utilisation: Mapping[str, Mapping[str, Sequence[float]]] | None, key: str) -> dict[str, float]:
    kinds = (utilisation or {}).get(key, {})
    return {kind: min(1.0, used / granted) for kind, (granted, used) in kinds.items() if granted > 0}


def _by_kind(utilisation: Mapping[str, Mapping[str, Sequence[float]]] | None, key: str,
             lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((BY_KEY[kind].text(lang) if kind in BY_KEY else kind, _pct(ratio))
                 for kind, ratio in sorted(_ratios(utilisation, key).items()))


def _events(history: Sequence[HistoryEvent], lang: str) -> tuple[EventRow, ...]:
    return tuple(EventRow(_local(e.at, "%Y-%m-%d %H:%M:%S"), e.generation, e.rule or "",
                          event_text("", e.kind, dict(e.detail), lang).removeprefix(": "), e.actor) for e in history)


def _days_text(days: int | None, overdue: bool, lang: str, working: bool = True) -> str:
    if days is None:
        return ""
    left, late = ("left", "late") if working else ("left-calendar", "late-calendar")
    if overdue:
        return WORDS.say(late, lang, n=-days) if days < 0 else WORDS.say("late-today", lang)
    return WORDS.say("today", lang) if days == 0 else WORDS.say(left, lang, n=days)


def _urgency(days: int | None, overdue: bool) -> str:
    if overdue:
        return "overdue"
    if days is None:
        return ""
    return "due" if days <= 1 else "soon" if days <= DUE_SOON else ""


def _attention_order(row: SystemRow) -> tuple[int, int, str]:
    rank = {"overdue": 0, "due": 1, "soon": 2}.get(row.urgency, 3)
    return rank, row.days_left if row.days_left is not None else 1 << 20, row.key


def _money(value: Decimal | None, lang: str) -> str:
    return WORDS.say("no-price", lang) if value is None else money.yuan(value)


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def _local(moment: object, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(SHANGHAI).strftime(fmt) if moment is not None else ""  # type: ignore[attr-defined]
