"""The whole test session keeps off the operator's data.

`scripts/govcloud-up` applies the samples with the default settings: the state backend
under GOVCLOUD_CACHE (~/.cache/govcloud/state), the ledger and audit log in
~/.cache/govcloud/ledger.sqlite3. Before any test is collected the session points
GOVCLOUD_STATE_URL, PULUMI_BACKEND_URL and GOVCLOUD_LEDGER_URL at a folder of its own
(outside GOVCLOUD_CACHE, removed at the end) and drops GOVCLOUD_AUDIT_BUCKET, so whatever
a test runs with the environment it inherits lands there. `govcloud validate`'s result cache is
off (GOVCLOUD_VALIDATE_CACHE): a test that patches a check must see it run, and the user's cache
folder stays untouched; tests/unit/test_validate_cache.py turns it on in folders of its own. Tests that touch the cloud also
use departments of their own (tests/cloud/departments.py).

A session that runs cloud tests also checks, at its end, that the operator's state and
ledger files are as they were at its start, and fails naming what changed. Only those
sessions: the cloud tests hold the shared cloud lock, which the operator's own `govcloud`
runs on this machine take too, so a change seen then is the tests' doing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from provisioner.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
_SESSION_DIR = pytest.StashKey[Path]()
_saved: dict[str, str | None] = {}  # the settings' values before the session, put back after it
_operator: list[Path] = []          # the operator's state and ledger files, found at the start


def operator_files(settings: Settings) -> list[Path]:
    """Where the operator's data lives on this machine: a file state backend's folder, a SQLite
    ledger (and its write-ahead log). Other backends (S3, PostgreSQL) are not local to check."""
    found = []
    if settings.backend_url.startswith("file://"):
        found.append(Path(settings.backend_url.removeprefix("file://")))
    if settings.ledger_url.startswith("sqlite:///"):
        ledger = Path(settings.ledger_url.removeprefix("sqlite:///"))
        found += [ledger, ledger.with_name(ledger.name + "-wal")]
    return found


def fingerprint(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every file at or under `paths`."""
    seen = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            try:
                stat = file.stat()
            except FileNotFoundError:       # a lock or temporary file gone meanwhile
                continue
            seen[str(file)] = (stat.st_size, stat.st_mtime_ns)
    return seen


def pytest_configure(config: pytest.Config) -> None:
    _operator[:] = operator_files(Settings.from_environ(os.environ, ROOT))
    own = Path(tempfile.mkdtemp(prefix="govcloud-test-session-"))
    config.stash[_SESSION_DIR] = own
    values = {"GOVCLOUD_STATE_URL": (own / "state").as_uri(), "PULUMI_BACKEND_URL": (own / "state").as_uri(),
              "GOVCLOUD_LEDGER_URL": f"sqlite:///{own / 'ledger.sqlite3'}", "GOVCLOUD_AUDIT_BUCKET": None,
              "GOVCLOUD_VALIDATE_CACHE": "off"}
    (own / "state").mkdir()
    for name, value in values.items():
        _saved[name] = os.environ.get(name)
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


# The fixtures that bring in the local cloud or the Pulumi engine, whichever test asks for them.
_NEEDS_CLOUD = frozenset({"local_cloud", "engine_bin"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the cloud or the engine is marked `cloud` by its fixtures, not by hand:
    `-m "not cloud"` is then the suite without them, and any session with one of them checks at
    its end that the operator's state and ledger are untouched (operator_data_untouched), not
    only a session that happens to include the one test marked by hand."""
    for item in items:
        if _NEEDS_CLOUD.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.cloud)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name, value in _saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    own = config.stash.get(_SESSION_DIR, None)
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def operator_data_untouched(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the session (at its last teardown) if it changed the operator's state or ledger."""
    if not any(item.get_closest_marker("cloud") for item in request.session.items):
        yield
        return
    before = fingerprint(_operator)
    yield
    after = fingerprint(_operator)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        pytest.fail("the tests changed the operator's data (the default state and ledger of "
                    "scripts/govcloud-up): " + ", ".join(changed[:10]), pytrace=False)
