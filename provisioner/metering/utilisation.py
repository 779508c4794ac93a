"""Live use, for the utilisation rate (art30): a pluggable source and the windows it observes (pure).

A source says, for a window of time, how many resource-seconds each system had *in use*
(servers running, volumes attached, floating IPs associated). Utilisation over any period
is then  used / granted  of the resource-seconds within the observed windows, so a gap in
observation (exporter down) biases nothing: it is simply not counted.

Sources:
  openstack   provisioner.metering.openstack_use.OpenStackUtilisation (the real one)
  static      StaticUtilisation: fixed ratios per system, e.g. figures the provider's own
              monitoring reports; also the test double for this one signal
  none        NoUtilisation: nothing observed (the settlement then stops for lack of data)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableSequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Protocol

from provisioner.calendar import SHANGHAI
from provisioner.metering.resources import KINDS

if TYPE_CHECKING:
    from provisioner.metering.timeline import Timeline

Usage = Mapping[str, Mapping[str, float]]     # system key -> kind key -> resource-seconds


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds())


@dataclass(frozen=True)
class Observation:
    window: Window
    used: Usage
    measured: frozenset[str]              # kind keys the source can see
    unattributed: int = 0                 # resources in use that carry no govcloud labels


class UtilisationSource(Protocol):
    name: str
    measured: frozenset[str]

    def observe(self, window: Window, granted: Usage) -> Observation: ...


@dataclass
class NoUtilisation:
    name: str = "none"
    measured: frozenset[str] = frozenset()

    def observe(self, window: Window, granted: Usage) -> Observation:
        return Observation(window, {}, self.measured)


@dataclass
class StaticUtilisation:
    """Fixed ratios: {system key: {kind key: ratio}}; kinds absent are not measured."""

    ratios: Mapping[str, Mapping[str, float]]
    name: str = "static"
    measured: frozenset[str] = field(default_factory=lambda: frozenset(k.key for k in KINDS))

    def observe(self, window: Window, granted: Usage) -> Observation:
        used = {key: {kind: seconds * self.ratios[key][kind] for kind, seconds in kinds.items()
                      if kind in self.ratios.get(key, {})}
                for key, kinds in granted.items() if key in self.ratios}
        return Observation(window, used, self.measured)


def month_of(moment: datetime) -> date:
    local = moment.astimezone(SHANGHAI)
    return date(local.year, local.month, 1)


def month_start(month: date) -> datetime:
    return datetime.combine(month, time(0), tzinfo=SHANGHAI)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def split_by_month(window: Window) -> list[tuple[date, Window]]:
    """The window cut at Asia/Shanghai month boundaries."""
    pieces, start = [], window.start
    while start < window.end:
        month = month_of(start)
        end = min(window.end, month_start(next_month(month)))
        pieces.append((month, Window(start, end)))
        start = end
    return pieces


def granted_in(timelines: Iterable[Timeline], window: Window, kinds: frozenset[str]) -> dict[str, dict[str, float]]:
    """Granted resource-seconds of each system within the window (all phases, all generations)."""
    out: dict[str, dict[str, float]] = {}
    for line in timelines:
        for kind, secs in line.granted_seconds(window.start, window.end).items():
            if kind in kinds:
                per = out.setdefault(line.key, {})
                per[kind] = per.get(kind, 0.0) + secs
    return out


Totals = dict[str, dict[str, MutableSequence[float]]]     # system key -> kind key -> [granted_s, used_s]


def add_observation(months: Mapping[date, Totals], observation: Observation,
                    granted_per_piece: Mapping[date, Mapping[str, Mapping[str, float]]]) -> dict[date, Totals]:
    """New month totals after adding one observation window, split at month boundaries.

    `granted_per_piece` is granted_in() for each month's piece of the window; the used
    resource-seconds of the whole window are shared out by each piece's length.
    """
    result: dict[date, Totals] = {}
    length = observation.window.seconds
    for month, piece in split_by_month(observation.window):
        share = piece.seconds / length if length else 0.0
        totals = {key: {kind: list(pair) for kind, pair in kinds.items()} for key, kinds in months.get(month, {}).items()}
        granted = granted_per_piece.get(month, {})
        for key in granted:             # systems the ledger knows; OpenStack's others are not ours to meter
            for kind in observation.measured:
                g = granted.get(key, {}).get(kind, 0.0)
                u = observation.used.get(key, {}).get(kind, 0.0) * share
                if g or u:
                    pair = totals.setdefault(key, {}).setdefault(kind, [0.0, 0.0])
                    pair[0] += g
                    pair[1] += u
        result[month] = totals
    return result
