"""Failures a person meets at the command line: one line and exit 1 or 2, never "internal error"
(exit 3) with a traceback. The real `govcloud` command, run as a person runs it."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOVCLOUD = str(ROOT / ".venv" / "bin" / "govcloud")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "GOVCLOUD_LEDGER_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}", **extra}


def test_a_closed_output_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    # `govcloud validate request_specs | true`: the reader is gone before the first line.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        run = subprocess.run([GOVCLOUD, "validate", "request_specs"], cwd=ROOT, env=_env(tmp_path),
                             stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(writer)
    assert (run.returncode, run.stderr) == (1, "")


def test_the_exporter_on_a_busy_port_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        run = subprocess.run([GOVCLOUD, "--lang", "en", "exporter", "--listen", address, "--utilisation", "none"],
                             cwd=ROOT,
                             env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(f"govcloud: cannot listen on {address}: Address already in use; choose "
                                 "another address with --listen"), run.stderr
    assert run.stderr.count("\n") == 1 and run.stdout == ""


def test_regions_with_the_cloud_down_names_the_endpoint_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as closed:       # a port nothing listens on: the cloud is down
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text(
        "clouds:\n  govcloud-dev:\n    auth:\n"
        f"      auth_url: http://127.0.0.1:{port}/v3\n      username: admin\n      password: secret\n"
        "      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n"
        "    region_name: RegionOne\n    identity_api_version: 3\n", encoding="utf-8")
    said = {}
    for lang in ("zh", "en"):
        run = subprocess.run([GOVCLOUD, "--lang", lang, "regions"], cwd=ROOT,
                             env=_env(tmp_path, OS_CLIENT_CONFIG_FILE=str(clouds)), capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 2 and run.stdout == "", run.stderr
        said[lang] = run.stderr
    endpoint = f"Unable to establish connection to http://127.0.0.1:{port}/v3/auth/tokens\n"
    assert said["en"] == f"govcloud: cannot create the regions' Keystone domains: the cloud does not answer: {endpoint}"
    assert said["zh"] == f"govcloud: 无法创建各地区的 Keystone 域：云平台没有应答：{endpoint}"
    assert run.stdout == ""


def test_credentials_rotate_refuses_before_issuing_anything(tmp_path: Path) -> None:
    """A wrong department or hand-over file is exit 1 with one line, before any cloud or engine call."""
    existing = tmp_path / "handover.yaml"
    existing.write_text("")
    cases = {("jj-nope", "--stdout"): "no request of department jj-nope under request_specs/",
             ("Bad_Code", "--stdout"): "'Bad_Code' is not a department code",
             ("jj-xzspj", "-o", str(existing)): f"{existing} exists: the credential goes into a new file only",
             ("jj-xzspj", "-o", str(tmp_path / "no" / "such.yaml")): f"no folder {tmp_path / 'no'}"}
    for args, message in cases.items():
        run = subprocess.run([GOVCLOUD, "--lang", "en", "credentials", "rotate", *args], cwd=ROOT, env=_env(tmp_path),
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 1 and message in run.stderr and "Traceback" not in run.stderr, (args, run.stderr)
        assert len(run.stderr.splitlines()) == 1
