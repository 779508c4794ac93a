"""A change that removes protected data volumes (art18): which ones, read from the engine's events and the
stack's state (provisioner/stacks/removals.py), and the up that backs them up before it releases and deletes
them (provisioner/app/data_removal.py), on a stand-in engine and cloud (the real ones:
tests/cloud/test_data_removal.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pulumi import automation as auto

from provisioner.app import data_removal
from provisioner.app.plan import Preview
from provisioner.app.plan_comment import _preview_summary
from provisioner.cloud import backups
from provisioner.cloud.backups import BackupRecord
from provisioner.errors import CloudError, EngineError
from provisioner.lifecycle.messages import event_text
from provisioner.settings import Settings
from provisioner.stacks.engine import Outcome, PlannedStep, StackFailed
from provisioner.stacks.removals import RemovedData, protection_refusals, removed_data_volumes

VOLUME = "openstack:blockstorage/volume:Volume"
PREFIX = "urn:pulumi:city.jj-x.keep::govcloud::"
DATA1, DATA2, SYSTEM_DISK = (f"{PREFIX}{VOLUME}::keep-app-1-{n}" for n in ("data1", "data2", "system"))
ATTACH = f"{PREFIX}openstack:compute/volumeAttach:VolumeAttach::keep-app-1-data2-attach"
BUCKET = f"{PREFIX}openstack:objectstorage/container:Container::keep-files"

# The stack's state, as `pulumi stack export` lists it (production: data protected, the system disk not).
STATE = [
    {"urn": DATA1, "type": VOLUME, "id": "v1", "protect": True, "outputs": {"size": 10}},
    {"urn": DATA2, "type": VOLUME, "id": "v2", "protect": True, "outputs": {"size": 10}},
    {"urn": SYSTEM_DISK, "type": VOLUME, "id": "v3", "outputs": {"size": 10, "imageId": "cirros"}},
    {"urn": ATTACH, "type": "openstack:compute/volumeAttach:VolumeAttach", "id": "a2"},
    {"urn": BUCKET, "type": "openstack:objectstorage/container:Container", "id": "c", "protect": True},
]


def step(op: str, urn: str, sequence: int = 1) -> auto.EngineEvent:
    """A ResourcePreEvent as pulumi's --event-log records it."""
    return auto.EngineEvent.from_json({"sequence": sequence, "timestamp": 0, "resourcePreEvent": {"metadata": {
        "op": op, "urn": urn, "type": urn.split("::")[-2], "provider": ""}}})


def diagnostic(message: str, urn: str = "") -> auto.EngineEvent:
    return auto.EngineEvent.from_json({"sequence": 9, "timestamp": 0, "diagnosticEvent": {
        "message": message, "color": "never", "severity": "error", **({"urn": urn} if urn else {})}})


# Pulumi 3.274's words (recorded from tests/cloud/test_data_removal.py's run and its step generator).
REFUSED_DELETE = diagnostic(f'resource "{DATA2}" cannot be deleted\nbecause it is protected. To unprotect the '
                            f"resource, either remove the `protect` flag ...", DATA2)
REFUSED_REPLACE = diagnostic(f'unable to replace resource "{DATA1}"\nas it is currently marked for protection. '
                             f"To unprotect the resource, remove the `protect` flag ...", DATA1)
GENERAL = diagnostic("update failed", f"{PREFIX}pulumi:pulumi:Stack::govcloud-city.jj-x.keep")


def test_the_data_volumes_a_change_deletes_or_replaces_are_read_from_its_steps() -> None:
    events = [step("same", DATA1), step("delete", ATTACH), step("delete", DATA2), step("delete", SYSTEM_DISK),
              step("delete", BUCKET), step("update", DATA1)]
    assert removed_data_volumes(events, STATE) == [
        RemovedData(DATA2, "keep-app-1-data2", "v2", "delete", True)]          # not the system disk, nor the bucket
    replaced = [step("replace", DATA1), step("delete-replaced", DATA1), step("create-replacement", DATA1)]
    assert removed_data_volumes(replaced, STATE) == [RemovedData(DATA1, "keep-app-1-data1", "v1", "replace", True)]
    assert removed_data_volumes([step("delete", DATA2)], []) == []                # not in the state: nothing to keep


def test_a_refusal_for_protection_is_told_apart_from_any_other_failure() -> None:
    assert protection_refusals([REFUSED_DELETE, REFUSED_REPLACE, GENERAL]) == ({DATA1, DATA2}, [])
    quota = diagnostic("update volume-quota: 400 Quota gigabytes limit must be equal or greater")
    assert protection_refusals([REFUSED_DELETE, quota, GENERAL]) == ({DATA2}, [quota.diagnostic_event.message])
    assert protection_refusals([step("delete", DATA2)]) == (set(), [])


class Engine:
    """Refuses the first up for the protected DATA2, as Pulumi does; records what is asked of it."""

    def __init__(self, refused: frozenset[str] = frozenset({DATA2}), removed: tuple = (),
                 deletes: tuple[str, ...] = ("v2",)) -> None:
        self.calls: list[str] = []
        self.refused, self.removed = refused, list(removed) or [RemovedData(DATA2, "keep-app-1-data2", "v2",
                                                                            "delete", True)]
        self.volumes = {"v1": "keep-app-1-data1", "v2": "keep-app-1-data2"}   # the data volumes in the state
        self.deletes = deletes                                                # what an up that goes through deletes

    def up(self, stack: str, refresh: bool = False) -> Outcome:
        self.calls.append("up")
        if self.refused and "unprotect" not in self.calls:
            raise StackFailed(stack, "up", "cannot be deleted", refused=self.refused)
        for volume_id in self.deletes:
            self.volumes.pop(volume_id, None)
        return Outcome(stack, "up", {"delete": 2} if self.deletes else {"same": 9})

    def data_volumes(self, stack: str) -> dict[str, str]:
        self.calls.append("state")
        return dict(self.volumes)

    def data_removals(self, stack: str) -> list[RemovedData]:
        self.calls.append("preview")
        return self.removed

    def outputs(self, stack: str) -> dict:
        return {"projectId": "p1"}

    def unprotect(self, stack: str, urns: list[str]) -> None:
        self.calls.append("unprotect")
        self.unprotected = urns


RECORD = BackupRecord("v2", "keep-app-1-data2", 10, "b2", "keep-removed-keep-app-1-data2")


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> list:
    asked: list = []
    monkeypatch.setattr(backups, "connect_project", lambda settings, project: f"conn:{project}")
    monkeypatch.setattr(backups, "back_up_volumes", lambda conn, system, ids: asked.append((conn, system, ids)) or [RECORD])
    return asked


def settings(tmp_path) -> Settings:  # noqa: ANN001
    return Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, tmp_path)


def test_the_removed_volume_is_backed_up_before_it_is_released_and_deleted(tmp_path, cloud) -> None:  # noqa: ANN001
    engine = Engine()
    outcome = data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    # the state read again after: did the up delete a volume an earlier, killed run had released?
    assert engine.calls == ["state", "up", "preview", "unprotect", "up", "state"] and engine.unprotected == [DATA2]
    assert cloud == [("conn:p1", "keep", ["v2"])]                                  # that volume only
    assert outcome.backups[0]["backup_id"] == "b2" and outcome.changes == {"delete": 2}


def test_an_up_nobody_refused_costs_a_read_of_the_state_more(tmp_path, cloud, monkeypatch) -> None:  # noqa: ANN001
    looked: list = []
    monkeypatch.setattr(backups, "removal_backups", lambda conn, system, ids: looked.append(ids) or [])
    engine = Engine(refused=frozenset(), deletes=())
    assert data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.trial").backups == ()
    assert engine.calls == ["state", "up"] and cloud == [] and looked == []       # no preview, no cloud
    engine = Engine(refused=frozenset(), deletes=("v9",))                         # deleted something, not data
    assert data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.trial").backups == ()
    assert engine.calls == ["state", "up", "state"] and looked == []


def test_an_up_after_a_run_killed_once_it_released_the_volume_names_its_backup(tmp_path, cloud,  # noqa: ANN001
                                                                                monkeypatch) -> None:
    """The killed run backed v2 up and lifted its protection, then died before its second up: this up is not
    refused and deletes v2; the backup, found in Cinder by name and volume, goes with its outcome all the same."""
    looked: list = []
    monkeypatch.setattr(backups, "removal_backups",
                        lambda conn, system, ids: looked.append((conn, system, ids)) or [RECORD])
    engine = Engine(refused=frozenset())
    outcome = data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert engine.calls == ["state", "up", "state"] and cloud == []               # nothing backed up again
    assert looked == [("conn:p1", "keep", ["v2"])]                                 # the volume the up deleted only
    assert [b["backup_id"] for b in outcome.backups] == ["b2"]


def test_an_up_refused_for_one_volume_names_the_backup_of_another_a_killed_run_released(tmp_path, cloud,  # noqa: ANN001
                                                                                       monkeypatch) -> None:
    """A killed run backed v3 up and released it; before its retry a newer change drops v2 too. The first up
    is refused for v2 alone (v3 is unprotected), v2 is backed up and released, and the second up deletes both:
    v3's backup is named as well, not only the one this run made."""
    looked: list = []
    v3 = BackupRecord("v3", "keep-app-1-data3", 10, "b3", "keep-removed-keep-app-1-data3")
    monkeypatch.setattr(backups, "removal_backups",
                        lambda conn, system, ids: looked.append((conn, system, ids)) or [v3])
    engine = Engine(deletes=("v2", "v3"))
    engine.volumes["v3"] = "keep-app-1-data3"
    outcome = data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert cloud == [("conn:p1", "keep", ["v2"])]                                  # v2 backed up by this run
    assert looked == [("conn:p1", "keep", ["v3"])]                                 # v3 looked up, v2 not again
    assert [b["backup_id"] for b in outcome.backups] == ["b2", "b3"]

    def unread(conn, system, ids):  # noqa: ANN001, ANN202
        raise CloudError("Cinder down")
    monkeypatch.setattr(backups, "removal_backups", unread)
    engine = Engine(deletes=("v2", "v3"))
    engine.volumes["v3"] = "keep-app-1-data3"
    with pytest.raises(CloudError) as failed:                   # v2 is gone too: its backup must not be lost
        data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert [b["backup_id"] for b in failed.value.backups] == ["b2"]


class _Backups:
    """Cinder's backups of a project, as openstacksdk lists them (filtered by volume, as Cinder does)."""

    def __init__(self, made: list, fails: Exception | None = None) -> None:
        self.made, self.fails = made, fails

    def backups(self, details: bool = True, volume_id: str = "") -> list:
        if self.fails:
            raise self.fails
        return [b for b in self.made if b.volume_id == volume_id]

    def get(self, path: str):  # noqa: ANN201 - the export record, as Cinder answers it
        from types import SimpleNamespace
        return SimpleNamespace(status_code=200, text="", json=lambda: {"backup-record": {
            "backup_service": "cinder.backup.drivers.posix.PosixBackupDriver", "backup_url": "e30="}})


def _backup(backup_id: str, name: str, volume_id: str, created: str, status: str = "available"):  # noqa: ANN202
    from types import SimpleNamespace
    return SimpleNamespace(id=backup_id, name=name, volume_id=volume_id, created_at=created, status=status, size=10,
                           container="c", availability_zone="nova")


def test_the_backups_of_removed_volumes_are_the_systems_own_the_newest_verified() -> None:
    from types import SimpleNamespace
    made = [_backup("b1", "keep-removed-data2", "v2", "2026-12-01T10:00:00"),
            _backup("b2", "keep-removed-data2", "v2", "2026-12-02T10:00:00"),
            _backup("b3", "keep-removed-data2", "v2", "2026-12-03T10:00:00", status="error"),
            _backup("b4", "keep-two-removed-data2", "v2", "2026-12-04T10:00:00"),   # were it ever so
            _backup("b5", "keep-final-data2", "v2", "2026-12-05T10:00:00"),
            _backup("b6", "keep-removed-data9", "v9", "2026-12-06T10:00:00")]
    conn = SimpleNamespace(block_storage=_Backups(made))
    found = backups.removal_backups(conn, "keep", ["v2", "v7"])
    assert [(b.backup_id, b.volume_id, b.volume_name) for b in found] == [("b2", "v2", "data2")]
    assert found[0].checksum_sha256 and "PosixBackupDriver" in found[0].location
    assert backups.removal_backups(conn, "keep-two", ["v2"])[0].backup_id == "b4"


def test_a_lookup_that_fails_after_the_up_says_the_volumes_are_gone_not_that_nothing_was_destroyed() -> None:
    """The up already deleted the volumes: a failed lookup of their backups must not say nothing was destroyed;
    it names the volumes and where their backups are, so the failure's event keeps that much."""
    import openstack
    from types import SimpleNamespace
    conn = SimpleNamespace(block_storage=_Backups([], fails=openstack.exceptions.HttpException("503 Cinder down")))
    with pytest.raises(CloudError) as failed:
        backups.removal_backups(conn, "keep", ["v2", "v3"])
    for lang in ("zh", "en"):
        said = failed.value.render(lang)
        assert "v2" in said and "v3" in said and "keep-removed-" in said and "503" in said, said
    assert "nothing was destroyed" not in failed.value.render("en")
    assert "未销毁任何资源" not in failed.value.render("zh")
    broken = _Backups([_backup("b2", "keep-removed-data2", "v2", "2026-12-02T10:00:00")])
    broken.get = lambda path: SimpleNamespace(status_code=500, text="oops", json=dict)
    with pytest.raises(CloudError) as failed:
        backups.removal_backups(SimpleNamespace(block_storage=broken), "keep", ["v2"])
    assert "nothing was destroyed" not in failed.value.render("en") and "v2" in failed.value.render("en")


def test_a_protected_resource_that_is_not_data_fails_as_before(tmp_path, cloud) -> None:  # noqa: ANN001
    network = f"{PREFIX}openstack:networking/network:Network::keep-net"
    engine = Engine(refused=frozenset({DATA2, network}))
    with pytest.raises(StackFailed):
        data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert "unprotect" not in engine.calls and cloud == []


def test_a_failed_backup_releases_and_deletes_nothing(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    def fails(conn, system, ids):  # noqa: ANN001, ANN202
        raise CloudError("backup of keep-app-1-data2 failed")
    monkeypatch.setattr(backups, "connect_project", lambda settings, project: None)
    monkeypatch.setattr(backups, "back_up_volumes", fails)
    engine = Engine()
    with pytest.raises(CloudError):
        data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert engine.calls == ["state", "up", "preview"]                                      # nothing released, no second up


def test_the_step_says_what_was_backed_up() -> None:
    detail = {"backups": [{"volume_name": "keep-app-1-data2", "backup_name": "keep-removed-keep-app-1-data2",
                           "backup_id": "b2"}]}
    en = event_text("city.jj-x.keep#1", "apply_change_done", detail, "en")
    assert en == ("city.jj-x.keep#1: change completed (art18); the change removed data volume(s) keep-app-1-data2, "
                  "each backed up and verified first (backup keep-removed-keep-app-1-data2 (b2)): the data can be "
                  "restored from it (art18, art19)")
    assert "已先备份并验证" in event_text("city.jj-x.keep#1", "apply_change_done", detail, "zh")
    assert event_text("k#1", "apply_change_done", {}, "en") == "k#1: change completed (art18)"


def test_the_merge_request_comment_names_the_volumes_backed_up_then_removed() -> None:
    steps = (PlannedStep("delete", VOLUME, "keep-app-1-data2", backed_up=True),
             PlannedStep("delete", "openstack:compute/volumeAttach:VolumeAttach", "keep-app-1-data2-attach"))
    preview = Preview("city.jj-x.keep", "ok", {"delete": 2, "same": 9}, steps)
    assert _preview_summary(preview, "en") == ("delete 2; backs up and verifies, then removes the protected data "
                                               "volume(s) keep-app-1-data2 (art18, art19)")
    assert "keep-app-1-data2（第十八、十九条）" in _preview_summary(preview, "zh")


class QuotaEngine:
    """The tenant's first up is refused (its quota would go below what the system holds); records the ups."""

    def __init__(self, system_fails: bool = False) -> None:
        self.ups: list[str] = []
        self.system_fails = system_fails
        self.exists = lambda stack: True           # a running system, unless a test says otherwise

    def up(self, stack: str, refresh: bool = False) -> Outcome:
        self.ups.append(stack)
        if stack == "city.jj-xzspj" and self.ups.count(stack) == 1:
            raise StackFailed(stack, "up", "Quota gigabytes limit must be equal or greater than existing resources")
        if stack != "city.jj-xzspj" and self.system_fails:
            raise StackFailed(stack, "up", "quota exceeded")
        return Outcome(stack, "up", {"same": 3})

    def data_volumes(self, stack: str) -> dict[str, str]:
        return {}


def test_a_change_that_shrinks_the_grant_brings_the_system_up_before_its_tenant(tmp_path) -> None:  # noqa: ANN001
    from provisioner.app.stack_actions import PulumiStackActions
    from tests.lifecycle.test_cli import make_root
    from tests.unit.test_stack_actions import ref

    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    engine = QuotaEngine()
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    done = actions.apply_change(ref("city.jj-xzspj.zwfw-portal", "production"))
    assert engine.ups == ["city.jj-xzspj", "city.jj-xzspj.zwfw-portal", "city.jj-xzspj"] and done.done
    # When the system cannot go first either, the tenant's own failure is told.
    engine = QuotaEngine(system_fails=True)
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    with pytest.raises(StackFailed, match="Quota gigabytes"):
        actions.apply_change(ref("city.jj-xzspj.zwfw-portal", "production"))
    assert engine.ups == ["city.jj-xzspj", "city.jj-xzspj.zwfw-portal"]
    # A system not made yet (a new trial) waits for its tenant: nothing of it is made under a failed grant.
    engine = QuotaEngine()
    engine.exists = lambda stack: False
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    with pytest.raises(StackFailed, match="Quota gigabytes"):
        actions.create_trial(ref("city.jj-xzspj.zwfw-portal", None))
    assert engine.ups == ["city.jj-xzspj"]


def test_govcloud_apply_too_brings_a_running_system_up_before_the_tenant_whose_grant_it_shrinks(tmp_path) -> None:  # noqa: ANN001
    from provisioner.app import apply as apply_job
    from tests.lifecycle.test_cli import make_root

    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    planned = [p for p in apply_job.discover(root) if p.system == "city.jj-xzspj.zwfw-portal"]
    engine = QuotaEngine()
    engine.exists = lambda stack: True                          # a running system
    outcomes = apply_job.apply(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine, planned)
    assert engine.ups == ["city.jj-xzspj", "city.jj-xzspj.zwfw-portal", "city.jj-xzspj"]
    assert [(o.stack, o.failure) for o in outcomes] == [("city.jj-xzspj", ""), ("city.jj-xzspj.zwfw-portal", "")]
    engine = QuotaEngine()
    engine.exists = lambda stack: False                         # a new system waits for its tenant, as ever
    outcomes = apply_job.apply(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine, planned)
    assert engine.ups == ["city.jj-xzspj"] and "not run" in outcomes[-1].failure


def test_the_progress_line_of_an_up_says_what_it_backed_up() -> None:
    from provisioner.stacks.progress import Progress

    lines: list[str] = []
    progress = Progress(1, lines.append, clock=lambda: 0.0, lang="en")
    progress.finished(Outcome("city.jj-x.keep", "up", {"delete": 2}, backups=({"volume_name": "keep-app-1-data2",
                      "backup_name": "keep-removed-keep-app-1-data2", "backup_id": "b2"},)))
    assert lines == ["[1/1] up city.jj-x.keep: delete 2; data volume(s) backed up and verified before removal: "
                     "keep-app-1-data2 -> keep-removed-keep-app-1-data2 (b2) (art18, art19)"]


def test_a_change_that_would_make_a_data_volume_anew_is_refused_in_words_not_released() -> None:
    """A replaced data volume would come back empty under the running system: govcloud neither backs it up
    and releases it nor shows the preview as fine; it says why (data-made-anew), in the plan and the up alike."""
    from provisioner.stacks import engine as engine_mod

    Run = engine_mod._Run
    engine = engine_mod.Engine.__new__(engine_mod.Engine)
    replaced = [step("replace", DATA1), step("delete-replaced", DATA1), REFUSED_REPLACE, GENERAL]
    engine._run = lambda args, name: Run(replaced, auto.CommandError(auto.CommandResult("", "failed", 255)))
    engine.resources = lambda name: STATE
    with pytest.raises(StackFailed) as refused:
        engine.data_removals("city.jj-x.keep")
    assert "data-made-anew" in str(refused.value) and "keep-app-1-data1" in str(refused.value)
    dropped = [step("delete", DATA2), REFUSED_DELETE, GENERAL]
    engine._run = lambda args, name: Run(dropped, auto.CommandError(auto.CommandResult("", "failed", 255)))
    assert [v.urn for v in engine.data_removals("city.jj-x.keep")] == [DATA2]


def test_a_new_system_of_a_tenant_that_went_again_is_brought_up_not_dropped(tmp_path) -> None:  # noqa: ANN001
    """A department with a running system (its change shrinks the grant) and a new one: the running system goes
    first, the tenant again, and then the new system, which waited for it; none is left out of the outcomes."""
    from dataclasses import replace

    from provisioner.app import apply as apply_job
    from tests.lifecycle.test_cli import make_root

    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    running = next(p for p in apply_job.discover(root) if p.system == "city.jj-xzspj.zwfw-portal")
    new = replace(running, system="city.jj-xzspj.zwfw-new")
    engine = QuotaEngine()
    engine.exists = lambda stack: stack == running.system
    outcomes = apply_job.apply(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine,
                               [running, new])
    assert engine.ups == ["city.jj-xzspj", running.system, "city.jj-xzspj", new.system]
    assert sorted((o.stack, o.failure) for o in outcomes) == [("city.jj-xzspj", ""), (new.system, ""),
                                                              (running.system, "")]



class _Change:
    """What merge_apply's steps read of a reviewed item and its runner, for a minor change of a running system."""

    def __init__(self, engine: QuotaEngine, monkeypatch: pytest.MonkeyPatch) -> None:
        from types import SimpleNamespace

        from provisioner.app import merge_apply
        from provisioner.lifecycle.states import RequestKind, State

        self.completed: list[dict] = []
        monkeypatch.setattr(merge_apply, "_preflight", lambda item, runner: None)
        monkeypatch.setattr(merge_apply, "_submit_and_accept", lambda item, runner: ("R", RequestKind.CHANGE_MINOR))
        monkeypatch.setattr(merge_apply, "_generation", lambda runner, key, request: SimpleNamespace(state=State.CHANGING))
        monkeypatch.setattr(merge_apply, "_complete", lambda runner, key, request, action, detail:
                            self.completed.append(detail))
        monkeypatch.setattr(merge_apply.stackfiles, "render", lambda *args: None)
        self.item = SimpleNamespace(spec=object(), change=SimpleNamespace(path="request_specs/jj-xzspj/zwfw-portal.yaml"),
                                    tenant_key="city.jj-xzspj", system_key="city.jj-xzspj.zwfw-portal",
                                    department="jj-xzspj")
        self.runner = SimpleNamespace(up=engine.up, engine=lambda: engine, head="abc123", settings=None)
        self.minor = merge_apply._minor


def test_apply_base_too_brings_the_running_system_up_before_the_tenant_whose_grant_it_shrinks(monkeypatch) -> None:  # noqa: ANN001
    """`govcloud apply --base` (merge_apply) carries out the same change as reconcile: without the system going
    first, every minor change dropping a data disk failed at its tenant (the volumes quota is the disks' count)."""
    engine = QuotaEngine()
    change = _Change(engine, monkeypatch)
    step = change.minor(change.item, change.runner)
    assert step.status == "done" and engine.ups == ["city.jj-xzspj", "city.jj-xzspj.zwfw-portal", "city.jj-xzspj"]
    engine = QuotaEngine()
    engine.exists = lambda stack: False           # no running system to go first: the tenant's own failure
    change = _Change(engine, monkeypatch)
    with pytest.raises(StackFailed, match="Quota gigabytes"):
        change.minor(change.item, change.runner)
    assert engine.ups == ["city.jj-xzspj"] and change.completed == []


def test_apply_base_records_the_backups_of_the_removed_volumes_in_the_ledger(monkeypatch) -> None:  # noqa: ANN001
    """The change's ledger event names the backups (as reconcile's does), so the department can get its data back."""
    engine = QuotaEngine()
    backed_up = {"volume_name": "zwfw-portal-app-1-data2", "backup_id": "b2"}
    up = engine.up
    engine.up = lambda stack, refresh=False: (replace(up(stack), backups=(backed_up,)) if stack.count(".") == 2
                                              else up(stack))
    change = _Change(engine, monkeypatch)
    change.minor(change.item, change.runner)
    assert change.completed == [{"merge": "abc123", "backups": [backed_up]}]


def test_an_up_that_fails_after_the_release_carries_the_backups_it_made(tmp_path, cloud) -> None:  # noqa: ANN001
    """Released (protection lifted) but not yet deleted, or deleted in part: the next up deletes the volume
    without asking, so the failure itself names the verified backups (reconcile records them, action_failed)."""
    engine = Engine()
    up = engine.up

    def fails_once_released(stack: str, refresh: bool = False) -> Outcome:
        if "unprotect" in engine.calls:
            raise StackFailed(stack, "up", "Volume is busy")
        return up(stack, refresh)
    engine.up = fails_once_released
    with pytest.raises(StackFailed) as failed:
        data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert [b["backup_id"] for b in failed.value.backups] == ["b2"]
    assert "unprotect" in engine.calls
    engine = Engine()

    def unprotect_fails(stack: str, urns: list[str]) -> None:     # one URN released, the next refused
        raise EngineError("pulumi state unprotect failed")
    engine.unprotect = unprotect_fails
    with pytest.raises(EngineError) as failed:
        data_removal.up_keeping_data(settings(tmp_path), engine, "city.jj-x.keep")
    assert [b["backup_id"] for b in failed.value.backups] == ["b2"]


def test_a_tenant_that_fails_again_after_its_system_went_first_carries_the_systems_backups(tmp_path) -> None:  # noqa: ANN001
    from provisioner.app.stack_actions import PulumiStackActions
    from tests.lifecycle.test_cli import make_root
    from tests.unit.test_stack_actions import ref

    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    engine = QuotaEngine()
    up = engine.up

    def tenant_fails_twice(stack: str, refresh: bool = False) -> Outcome:
        if stack == "city.jj-xzspj" and engine.ups.count(stack) == 1:
            engine.ups.append(stack)
            raise StackFailed(stack, "up", "Keystone unavailable")
        outcome = up(stack, refresh)
        return replace(outcome, backups=({"volume_name": "zwfw-portal-app-1-data2", "backup_id": "b2"},))
    engine.up = tenant_fails_twice
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    with pytest.raises(StackFailed, match="Keystone") as failed:
        actions.apply_change(ref("city.jj-xzspj.zwfw-portal", "production"))
    assert [b["backup_id"] for b in failed.value.backups] == ["b2"]


def test_a_failure_that_released_backed_up_volumes_says_so() -> None:
    detail = {"action": "apply_change", "error": "StackFailed: Volume is busy",
              "backups": [{"volume_name": "keep-app-1-data2", "backup_name": "keep-removed-keep-app-1-data2",
                           "backup_id": "b2"}]}
    en = event_text("city.jj-x.keep#1", "action_failed", detail, "en")
    assert "keep-app-1-data2" in en and "b2" in en and "art18" in en and "removed data" not in en
    assert "第十八" in event_text("city.jj-x.keep#1", "action_failed", detail, "zh")


def test_why_the_system_could_not_go_first_is_told_beside_the_tenants_failure(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """A change that shrinks a data disk lowers the quota (the tenant fails) and would make the disk anew (the
    system, going first, is refused: data-made-anew). The refusal says what to do; the quota error alone did not."""
    from provisioner.app.stack_actions import PulumiStackActions
    from tests.lifecycle.test_cli import make_root
    from tests.unit.test_stack_actions import ref

    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    engine = QuotaEngine()
    up = engine.up

    def made_anew(stack: str, refresh: bool = False) -> Outcome:
        if stack.count(".") == 2:
            engine.ups.append(stack)
            raise StackFailed(stack, "preview", "data-made-anew: the change would make data volume x anew")
        return up(stack, refresh)
    engine.up = made_anew
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    with pytest.raises(StackFailed) as failed:
        actions.apply_change(ref("city.jj-xzspj.zwfw-portal", "production"))
    for lang in ("en", "zh"):
        told = failed.value.render(lang)
        assert "Quota gigabytes" in told and "data-made-anew" in told and "city.jj-xzspj.zwfw-portal" in told, told
    change = _Change(engine, monkeypatch)          # govcloud apply --base, alike
    engine.ups.clear()
    with pytest.raises(StackFailed) as failed:
        change.minor(change.item, change.runner)
    assert "data-made-anew" in failed.value.render("en")


@pytest.mark.parametrize("error", [StackFailed("city.jj-xzspj.zwfw-portal", "up", "Volume is busy"),
                                   EngineError("pulumi state unprotect failed"), CloudError("Cinder unread")])
def test_govcloud_apply_tells_the_backups_whatever_failed_once_they_were_released(tmp_path, error) -> None:  # noqa: ANN001
    """govcloud apply keeps no ledger: its line is the only place an operator reads where the data went. An up
    that failed once the volumes were released, the unprotect after the backups (EngineError), or the lookup of a
    killed run's backups once the volumes went (CloudError): each carries the backups this run made."""
    from provisioner.app import apply as apply_job
    from provisioner.stacks.progress import Progress
    from tests.lifecycle.test_cli import make_root

    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    planned = [p for p in apply_job.discover(root) if p.system == "city.jj-xzspj.zwfw-portal"]

    class Released:
        def up(self, stack: str, refresh: bool = False) -> Outcome:
            if stack.count(".") == 1:
                return Outcome(stack, "up", {"same": 3})
            error.backups = ({"volume_name": "zwfw-portal-app-1-data2", "backup_name": "zwfw-portal-removed-x",
                              "backup_id": "b2"},)
            raise error

        def data_volumes(self, stack: str) -> dict[str, str]:
            return {}

    lines: list[str] = []
    outcomes = apply_job.apply(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), Released(), planned,
                               progress=Progress(None, lines.append, clock=lambda: 0.0, lang="en"))
    assert [b["backup_id"] for b in outcomes[-1].backups] == ["b2"] and outcomes[-1].failure
    assert str(error.reason if isinstance(error, StackFailed) else error) in lines[-1]
    assert "zwfw-portal-app-1-data2 -> zwfw-portal-removed-x (b2)" in lines[-1], lines[-1]
