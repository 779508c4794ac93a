"""A run killed while Pulumi's file backend wrote a stack's state leaves that state readable.

gocloud's fileblob writes an object's attributes file in place just before it renames the new
state over the old (provisioner/stacks/sidecars.py); killed between the two, the attributes file
is left empty and every later read of the stack fails with `failed to load checkpoint: EOF`
(found by tests/cloud/test_kill_safe.py when a kill landed there). The test leaves the file as
such a kill does and checks that plain pulumi is stuck on it and govcloud's next run is not.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from provisioner.settings import Settings
from provisioner.stacks import sidecars
from provisioner.stacks.engine import Engine
from tests.scratch import engine_env, pulumi_project

STACK = "city.jj-sidecar-test"
PROGRAM = 'import pulumi\n\npulumi.export("made", 1)\n'


@pytest.fixture()
def project(tmp_path: Path, engine_bin: Path, pulumi_home: Path) -> tuple[Settings, dict[str, str], Path]:
    root = pulumi_project(tmp_path / "repo", PROGRAM, STACK, "tenant")
    env = engine_env(tmp_path, engine_bin, pulumi_home)       # no cloud: the program makes nothing in one
    return Settings.from_environ(env, root), env, tmp_path / "state" / ".pulumi" / "stacks" / "govcloud"


def test_an_empty_attributes_file_left_by_a_kill_is_removed_before_the_next_run(project) -> None:
    settings, env, folder = project
    assert Engine(settings).up(STACK).outputs == {"made": 1}
    sidecar = folder / f"{STACK}.json.attrs"
    assert sidecar.stat().st_size > 0
    sidecar.write_bytes(b"")                       # what a kill between create and write leaves

    # Plain pulumi cannot read the stack any more: the fault is real, not the test's.
    stuck = subprocess.run([str(settings.engine_bin / "pulumi"), "stack", "export", "--stack", STACK],
                           cwd=settings.root, env={**env, **settings.pulumi_env()}, capture_output=True, text=True)
    assert stuck.returncode != 0 and "EOF" in stuck.stderr, stuck.stdout + stuck.stderr

    notices: list[tuple[str, str]] = []
    outcome = Engine(settings, on_notice=lambda zh, en: notices.append((zh, en))).up(STACK)
    assert outcome.outputs == {"made": 1} and outcome.changes == {"same": 1}
    assert [en for _, en in notices] == [
        f"the attributes file of {STACK}.json in the state backend was empty (left by a run killed while "
        "writing it) and is removed: Pulumi reads the state without it"]
    assert "属性文件为空" in notices[0][0]
    assert sidecars.empty_sidecars(folder) == []


def test_only_empty_attributes_files_are_taken(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "a.json.attrs").write_text('{"user.content_type":"application/json"}\n')
    (tmp_path / "b.json.attrs").write_bytes(b"")
    (tmp_path / "b.json.bak.attrs").write_bytes(b"")
    (tmp_path / "empty.json").write_bytes(b"")                 # an object, not a sidecar: not ours
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "c.json.attrs").write_bytes(b"")    # another folder: not looked at

    assert sidecars.remove_empty_sidecars(tmp_path) == ["b.json", "b.json.bak"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "a.json.attrs", "empty.json", "nested"]
    assert (tmp_path / "nested" / "c.json.attrs").exists()
    assert sidecars.remove_empty_sidecars(tmp_path / "missing") == []
