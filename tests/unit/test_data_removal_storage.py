"""A change that removes a production system's protected Swift container or Manila share (art18, art19, art25):
which ones, read from the engine's events and the stack's state (provisioner/stacks/removals.py), what becomes of
them (a container copied and verified, then released; a share refused in words), and how the copies are told,
on a stand-in engine and cloud (the real ones: tests/cloud/test_container_removal.py)."""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from provisioner.app import data_removal
from provisioner.app.plan import Preview
from provisioner.app.plan_comment import _preview_summary
from provisioner.cloud import backups, container_copies
from provisioner.cloud.container_copies import ContainerCopy, check_copy, to_copy
from provisioner.errors import CloudError
from provisioner.lifecycle.messages import event_text
from provisioner.stacks import engine as engine_mod
from provisioner.stacks.engine import Outcome, PlannedStep, StackFailed
from provisioner.stacks.removals import RemovedData, release, removed_data, removed_data_volumes, unprotect_line
from tests.unit.test_data_removal import DATA1, DATA2, GENERAL, PREFIX, REFUSED_DELETE, STATE, diagnostic, settings, step

CONTAINER = "openstack:objectstorage/container:Container"
SHARE = "openstack:sharedfilesystem/share:Share"
FILES = f"{PREFIX}{CONTAINER}::keep-files"
DOCS = f"{PREFIX}{SHARE}::keep-docs"
NETWORK = f"{PREFIX}openstack:networking/network:Network::keep-net"
STACK = "city.jj-x.keep"
STORED = [*STATE[:3],
          {"urn": FILES, "type": CONTAINER, "id": "files", "protect": True, "outputs": {"name": "files"}},
          {"urn": DOCS, "type": SHARE, "id": "s1", "protect": True, "outputs": {"name": "keep-docs"}},
          {"urn": NETWORK, "type": "openstack:networking/network:Network", "id": "n1", "protect": True}]


def refusal(urn: str) -> auto.EngineEvent:
    """Pulumi 3.274's refusal to delete a protected resource, as for a volume (tests/unit/test_data_removal.py)."""
    return diagnostic(f'resource "{urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, '
                      f"either remove the `protect` flag ...", urn)


def test_the_containers_and_shares_a_change_removes_are_read_from_its_steps() -> None:
    events = [step("delete", DATA2), step("delete", FILES), step("delete", f"{DOCS}-access"), step("delete", DOCS)]
    assert removed_data(events, STORED) == [RemovedData(DATA2, "keep-app-1-data2", "v2", "delete", True),
                                            RemovedData(FILES, "keep-files", "files", "delete", True, CONTAINER),
                                            RemovedData(DOCS, "keep-docs", "s1", "delete", True, SHARE)]
    assert [d.urn for d in removed_data_volumes(events, STORED)] == [DATA2]         # volumes keep their meaning


def test_a_dropped_container_is_released_a_share_is_not_and_anything_else_keeps_pulumis_refusal() -> None:
    files = RemovedData(FILES, "keep-files", "files", "delete", True, CONTAINER)
    docs = RemovedData(DOCS, "keep-docs", "s1", "delete", True, SHARE)
    disk = RemovedData(DATA2, "keep-app-1-data2", "v2", "delete", True)
    assert release([disk, files], {DATA2, FILES}).released == (disk, files)
    told = release([disk, files, docs], {DATA2, FILES, DOCS})
    assert told.shares == (docs,) and not told.others                               # refused in words, whole
    assert release([files], {FILES, NETWORK}).others                                 # not data: pulumi's refusal
    anew = RemovedData(FILES, "keep-files", "files", "replace", True, CONTAINER)
    assert release([anew], {FILES}).anew == (anew,)                                  # an empty container, in place
    assert release([RemovedData(FILES, "keep-files", "files", "delete", False, CONTAINER)], {FILES}).others


def _engine(events: list) -> engine_mod.Engine:
    engine = engine_mod.Engine.__new__(engine_mod.Engine)
    engine._run = lambda args, name: engine_mod._Run(events, auto.CommandError(auto.CommandResult("", "failed", 255)))
    engine.resources = lambda name: STORED
    return engine


def test_a_change_that_drops_a_share_is_refused_in_words_with_the_unprotect_line() -> None:
    engine = _engine([step("delete", DOCS), refusal(DOCS), GENERAL])
    with pytest.raises(StackFailed) as refused:
        engine.data_removals(STACK)
    line = f"pulumi state unprotect '{DOCS}' --stack {STACK}"
    assert unprotect_line(DOCS, STACK) == line
    line = f"`{line}`"          # set apart from the sentence, in a terminal and in the merge request's comment
    en, zh = refused.value.render("en"), refused.value.render("zh")
    assert "cannot be deleted" not in en and "data-share-removed" in en, en
    for words in ("keep-docs", line, "art18", "art25", "art19", "exports its data", "no data was deleted"):
        assert words in en, (words, en)
    for words in ("keep-docs", line, "第十八条", "第二十五条", "第十九条", "导出"):
        assert words in zh, (words, zh)
    # The merge request's preview says the same (govcloud plan's Preview carries the failure's words).
    with pytest.raises(StackFailed, match="data-share-removed"):
        engine.preview_steps(STACK)


def test_an_up_that_would_drop_a_share_is_refused_before_it_changes_anything() -> None:
    """Pulumi deletes the share's access rule (the system's mount, the unit's way to export its data) before it
    refuses to delete the share itself (seen on the dev cloud): a stack holding a protected share is previewed first."""
    ups: list[list[str]] = []
    engine = _engine([step("delete", f"{DOCS}-access"), step("delete", DOCS), refusal(DOCS), GENERAL])
    engine._checkpoint = lambda name: {"resources": STORED}
    engine._locked = lambda args, name, **kw: ups.append(args)
    with pytest.raises(StackFailed, match="data-share-removed"):
        engine.up(STACK)
    assert ups == []                                                              # no up: the access rule stays
    kept = _engine([step("same", DOCS)])
    kept._run = lambda args, name: engine_mod._Run([step("same", DOCS)], None)
    kept._checkpoint = lambda name: {"resources": STORED}
    kept._locked = lambda args, name, **kw: ups.append(args) or engine_mod._Run([], None)
    kept.up(STACK)
    assert ups == [["up", "--yes", "--skip-preview"]]                             # a change that keeps it: the up


def test_a_share_beside_something_else_protected_keeps_pulumis_refusal() -> None:
    engine = _engine([step("delete", DOCS), refusal(DOCS), step("delete", NETWORK), refusal(NETWORK), GENERAL])
    with pytest.raises(StackFailed) as refused:
        engine.data_removals(STACK)
    assert "data-share-removed" not in str(refused.value)


def test_a_dropped_container_is_named_in_the_preview_as_copied_first() -> None:
    engine = _engine([step("same", DATA1), step("delete", FILES), refusal(FILES), GENERAL])
    assert [(d.urn, d.type) for d in engine.data_removals(STACK)] == [(FILES, CONTAINER)]
    _, steps = engine.preview_steps(STACK)
    assert [(s.name, s.backed_up) for s in steps] == [("keep-files", True)]
    engine = _engine([step("delete", DATA2), REFUSED_DELETE, step("delete", FILES), refusal(FILES), GENERAL])
    assert [d.urn for d in engine.data_removals(STACK)] == [DATA2, FILES]


COPY = ContainerCopy("files", "keep-removed-files", 1, 5, "swift, project p1, container keep-removed-files")


class Engine:
    """Refuses the first up for the protected container, as Pulumi does; records what is asked of it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def up(self, stack: str, refresh: bool = False) -> Outcome:
        self.calls.append("up")
        if "unprotect" not in self.calls:
            raise StackFailed(stack, "up", "cannot be deleted", refused=frozenset({FILES}))
        return Outcome(stack, "up", {"delete": 1})

    def data_removals(self, stack: str) -> list[RemovedData]:
        self.calls.append("preview")
        return [RemovedData(FILES, "keep-files", "files", "delete", True, CONTAINER)]

    def outputs(self, stack: str) -> dict:
        return {"projectId": "p1"}

    def data_volumes(self, stack: str) -> dict[str, str]:
        self.calls.append("state")
        return {}                       # no data volumes: only the container

    def unprotect(self, stack: str, urns: list[str]) -> None:
        self.calls.append("unprotect")
        self.unprotected = urns


@pytest.fixture
def swift(monkeypatch: pytest.MonkeyPatch) -> list:
    asked: list = []
    monkeypatch.setattr(backups, "connect_project", lambda settings, project: f"conn:{project}")
    monkeypatch.setattr(backups, "back_up_volumes", lambda *args: pytest.fail("no volume to back up"))
    monkeypatch.setattr(container_copies, "copy_containers",
                        lambda conn, system, names: asked.append(("copy", conn, system, names)) or [COPY])
    monkeypatch.setattr(container_copies, "empty_copied", lambda conn, copies: asked.append(("empty", copies)))
    return asked


def test_a_dropped_container_is_copied_and_verified_before_it_is_released_and_emptied(tmp_path, swift) -> None:  # noqa: ANN001
    engine = Engine()
    outcome = data_removal.up_keeping_data(settings(tmp_path), engine, STACK)
    assert engine.calls == ["state", "up", "preview", "unprotect", "up"] and engine.unprotected == [FILES]
    assert swift == [("copy", "conn:p1", "keep", ["files"]), ("empty", [COPY])]
    assert outcome.backups == ({"container": "files", "copy": "keep-removed-files", "objects": 1, "bytes": 5,
                                "location": "swift, project p1, container keep-removed-files", "created_at": "",
                                "kind": "swift-container-copy"},)


def test_a_failed_copy_releases_nothing(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(backups, "connect_project", lambda settings, project: None)

    def fails(conn, system, names):  # noqa: ANN001, ANN202
        raise CloudError("the copy of a container was not verified")
    monkeypatch.setattr(container_copies, "copy_containers", fails)
    engine = Engine()
    with pytest.raises(CloudError):
        data_removal.up_keeping_data(settings(tmp_path), engine, STACK)
    assert engine.calls == ["state", "up", "preview"]


def test_emptying_the_released_source_failed_carries_the_copy(tmp_path, swift, monkeypatch) -> None:  # noqa: ANN001
    def fails(conn, copies):  # noqa: ANN001, ANN202
        raise CloudError("409")
    monkeypatch.setattr(container_copies, "empty_copied", fails)
    with pytest.raises(CloudError) as failed:
        data_removal.up_keeping_data(settings(tmp_path), Engine(), STACK)
    assert [b["copy"] for b in failed.value.backups] == ["keep-removed-files"]


def test_what_is_copied_and_how_the_copy_is_verified() -> None:
    source = {"a.txt": (5, "e1"), "b/c.bin": (7, "e2")}
    assert to_copy(source, None, "keep-removed-files") == ["a.txt", "b/c.bin"]
    assert to_copy(source, {"a.txt": (5, "e1")}, "keep-removed-files") == ["b/c.bin"]     # an earlier attempt's
    with pytest.raises(CloudError, match="old.txt"):                    # an earlier removal's copy is not overwritten
        to_copy(source, {"old.txt": (1, "e9")}, "keep-removed-files")
    with pytest.raises(CloudError, match="a.txt"):
        to_copy(source, {"a.txt": (5, "changed")}, "keep-removed-files")
    assert check_copy("files", "keep-removed-files", source, dict(source), (2, 12), (2, 12)) is None
    missing = check_copy("files", "keep-removed-files", source, {"a.txt": (5, "e1")}, (2, 12), (1, 5))
    assert "b/c.bin" in missing.render("en")
    counts = check_copy("files", "keep-removed-files", source, dict(source), (2, 12), (3, 20))
    assert "source 2/12, copy 3/20" in counts.render("en") and "源 2/12" in counts.render("zh")


RECORD = {"container": "files", "copy": "keep-removed-files", "objects": 1, "bytes": 5, "kind": "swift-container-copy"}
VOLUME_RECORD = {"volume_name": "keep-app-1-data2", "backup_name": "keep-removed-keep-app-1-data2", "backup_id": "b2"}


def test_the_ledger_event_the_progress_line_and_the_plan_name_the_copy() -> None:
    from provisioner.stacks.progress import Progress

    en = event_text("city.jj-x.keep#1", "apply_change_done", {"backups": [VOLUME_RECORD, RECORD]}, "en")
    assert en == ("city.jj-x.keep#1: change completed (art18); the change removed data volume(s) keep-app-1-data2, "
                  "each backed up and verified first (backup keep-removed-keep-app-1-data2 (b2)): the data can be "
                  "restored from it (art18, art19); the change removed container(s), each copied within the project "
                  "and verified first (files -> keep-removed-files (1 objects, 5 bytes)): the data can be restored "
                  "from the copy (art18, art19, art25)")
    assert "None" not in en
    failed = event_text("k#1", "action_failed", {"action": "apply_change", "error": "x", "backups": [RECORD]}, "zh")
    assert "files -> keep-removed-files（1 个对象，5 字节）" in failed and "下次执行时删除" in failed
    assert "objects" not in failed                                                 # said in Chinese
    lines: list[str] = []
    Progress(1, lines.append, clock=lambda: 0.0, lang="en").finished(Outcome(STACK, "up", {"delete": 1},
                                                                             backups=(RECORD,)))
    assert lines == [f"[1/1] up {STACK}: delete 1; container(s) copied and verified before removal: "
                     "files -> keep-removed-files (1 objects, 5 bytes) (art18, art19)"]
    steps = (PlannedStep("delete", CONTAINER, "keep-files", backed_up=True),)
    preview = Preview(STACK, "ok", {"delete": 1, "same": 9}, steps)
    assert _preview_summary(preview, "en") == ("delete 1; copies the protected container(s) keep-files within the "
                                               "same project and verifies the copy, then removes them (art18, art19)")
    assert "keep-files" in _preview_summary(preview, "zh") and "第十八、十九条" in _preview_summary(preview, "zh")
