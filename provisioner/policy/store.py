"""Everything under policies/ of one repository, each file read at most once, when first asked for.

A command makes one Policies (Settings.policies) and passes it, or the values it
holds, down; nothing else opens a file under policies/. Every file goes through the
one reader (files.py), so a mistake in any of them is a PolicyConfigError with its
file:line and rule id (exit 1). Files are read lazily: a command that only needs the
catalogue does not stop on a mistake in the owners file.

    catalogue.yaml                   catalogue        art5
    the rule set (six files)         rule_set         load.MODELS
    calendar/<year>.yaml             schedules        working days (art15, art16, art18)
    owners.yaml                      owners           art14
    change-classification.yaml       classification   art18
    prices/<year>.yaml               prices(year)     art28 (None: not published)
    evaluation/<year>.yaml           evaluation(year) art29 (None: not recorded)
    settlement.yaml                  settlement       art30
    handover.yaml                    handover         art25 (final backups' retention)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

from provisioner.calendar import WorkCalendar, YearSchedule
from provisioner.calendar_policy import CALENDAR_FOLDER, parse_year_file
from provisioner.catalogue import Catalogue
from provisioner.errors import Problem
from provisioner.policy import files
from provisioner.policy.files import POLICY_FOLDER, PolicyConfigError
from provisioner.policy.load import ARTICLES, MODELS, parse_policies
from provisioner.policy.model import PolicySet

if TYPE_CHECKING:
    # The models of the files a process may never read are imported where a file is read: the exporter
    # daemon reads the catalogue, the rule set and the calendar only, and keeps what it imports for months.
    from provisioner.billing.policy import EvaluationInputs, SettlementPolicy
    from provisioner.billing.prices import PriceBook
    from provisioner.lifecycle.classify import Rules as Classification
    from provisioner.policy.handover import Retention
    from provisioner.policy.owners import Owners

M = TypeVar("M", bound=BaseModel)
CLASSIFICATION = "change-classification.yaml"
SETTLEMENT = "settlement.yaml"


class Policies:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[str, str | None] = {}
        self._yearly: dict[str, object] = {}

    @property
    def folder(self) -> Path:
        return self.root / POLICY_FOLDER

    def exists(self) -> bool:
        return self.folder.is_dir()

    def text(self, name: str, article: str) -> str | None:
        """The file's text (None when it does not exist), read once."""
        if name not in self._texts:
            path = self.folder / name
            try:
                self._texts[name] = path.read_text(encoding="utf-8") if path.is_file() else None
            except (OSError, UnicodeDecodeError) as exc:
                raise files.unreadable(name, article, exc) from exc
        return self._texts[name]

    def _required(self, name: str, article: str) -> str:
        text = self.text(name, article)
        if text is None:
            raise files.missing(name, article)
        return text

    def _parse(self, model: type[M], name: str, article: str, checks: tuple = ()) -> M:
        return files.parse(model, self._required(name, article), name, article, checks)

    @cached_property
    def catalogue(self) -> Catalogue:
        if "rule_set" in self.__dict__:
            return self.rule_set.catalogue
        return self._parse(Catalogue, "catalogue.yaml", ARTICLES["catalogue.yaml"])

    @cached_property
    def rule_set(self) -> PolicySet:
        """The six files whose rules check a request (policy.load), every problem of all six at once."""
        texts: dict[str, str] = {}
        problems = []
        for name in MODELS:
            try:
                texts[name] = self._required(name, ARTICLES[name])
            except PolicyConfigError as exc:
                problems += exc.problems
        if problems:
            raise PolicyConfigError(problems)
        return parse_policies(texts)

    @cached_property
    def schedules(self) -> dict[int, YearSchedule]:
        """Every year schedule the office recorded (calendar/<year>.yaml), all problems at once."""
        folder = self.folder / CALENDAR_FOLDER
        found, problems = {}, []
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            name = f"{CALENDAR_FOLDER}/{path.name}"
            try:
                schedule = parse_year_file(self._required(name, "art15"), name)
            except PolicyConfigError as exc:
                problems += exc.problems
                continue
            found[schedule.year] = schedule
        if problems:
            raise PolicyConfigError(problems)
        return found

    def calendar(self, on_uncertain: Callable[[int], None] | None = None) -> WorkCalendar:
        return WorkCalendar(self.schedules, on_uncertain=on_uncertain)

    @cached_property
    def owners(self) -> Owners:
        from provisioner.policy.owners import OWNERS, parse_owners
        return parse_owners(self._required(OWNERS, "art14"))

    @cached_property
    def classification(self) -> Classification:
        from provisioner.lifecycle.classify import Rules
        return self._parse(Rules, CLASSIFICATION, "art18")

    @cached_property
    def settlement(self) -> SettlementPolicy:
        from provisioner.billing.policy import SettlementPolicy
        return self._parse(SettlementPolicy, SETTLEMENT, "art30")

    @cached_property
    def handover(self) -> Retention:
        from provisioner.policy.handover import HANDOVER, parse_retention
        return parse_retention(self._required(HANDOVER, "art25"))

    def prices(self, year: int) -> PriceBook | None:
        """The price book of `year` (art28), None when the office has not published one."""
        from provisioner.billing.prices import PriceBook
        return self._yearly_file(PriceBook, f"prices/{year}.yaml", "art28")

    def evaluation(self, year: int) -> EvaluationInputs | None:
        """The provider's recorded evaluation inputs of `year` (art29), None when not recorded."""
        from provisioner.billing.policy import EvaluationInputs
        return self._yearly_file(EvaluationInputs, f"evaluation/{year}.yaml", "art29")

    def problems(self) -> list[Problem]:
        """Every problem of every file there is under policies/ (`govcloud validate`): a file
        a command needs but the office has not written is not reported here."""
        found: list[Problem] = []
        loads: list[Callable[[], object]] = [lambda: self.rule_set, lambda: self.schedules]
        loads += [lambda name=name: getattr(self, name) for name, file in _single_files().items()
                  if (self.folder / file).is_file()]
        for kind, load in (("prices", self.prices), ("evaluation", self.evaluation)):
            loads += [lambda year=int(p.stem), load=load: load(year)
                      for p in sorted((self.folder / kind).glob("*.yaml")) if p.stem.isdigit()]
        for load in loads:
            try:
                load()
            except PolicyConfigError as exc:
                found += exc.problems
        return found

    def _yearly_file(self, model: type[M], name: str, article: str) -> M | None:
        if name not in self._yearly:
            text = self.text(name, article)
            self._yearly[name] = None if text is None else files.parse(model, text, name, article)
        return self._yearly[name]  # type: ignore[return-value]


def _single_files() -> dict[str, str]:
    """The property of each single file that a repository may not have (problems() reads those it has)."""
    from provisioner.policy.handover import HANDOVER
    from provisioner.policy.owners import OWNERS
    return {"owners": OWNERS, "classification": CLASSIFICATION, "settlement": SETTLEMENT, "handover": HANDOVER}
