"""`govcloud validate`'s result cache (provisioner/app/validate_cache.py): a hit prints what the
uncached run prints, byte for byte, with its exit code, without importing pydantic, PyYAML or the
models; any change to what a run reads (a byte of a spec, of another request of its department,
of a policy file, a flag, the language, the day) is a miss; links and odd files go uncached."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import provisioner
from provisioner.app import validate_cache
from provisioner.app.validate_cache import Outcome, Run

ROOT = Path(__file__).resolve().parents[2]
SPEC = "request_specs/jj-xzspj/zwfw-portal.yaml"
OTHER = "request_specs/jj-xzspj"          # the same department's other requests
DAY = date(2026, 11, 27)
FLAGS = ("format='human'", "lang='zh'")
_PROBE = ("import sys\nfrom provisioner.cli import main\ncode = main(sys.argv[1:])\nsys.stdout.flush()\n"
          "print('LOADED', *sorted({'pydantic', 'yaml', 'provisioner.spec.model'} & set(sys.modules)),\n"
          "      file=sys.stderr)\n"
          "sys.exit(code)\n")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository of its own: the samples, policies/ and Pulumi.yaml, copied."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", root)
    for folder in ("policies", "request_specs"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def _govcloud(repo: Path, cache: Path | str, *args: str) -> tuple[str, str, int, list[str]]:
    """One whole `govcloud validate` process: (stdout, stderr without the probe's line, exit code),
    and which of pydantic, PyYAML and the spec models it loaded (on the last line of stderr)."""
    env = {**os.environ, "GOVCLOUD_VALIDATE_CACHE": str(cache), "GOVCLOUD_NOW": DAY.isoformat()}
    done = subprocess.run([sys.executable, "-c", _PROBE, "validate", *args], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    err, _, loaded = done.stderr.rpartition("LOADED")
    return done.stdout, err, done.returncode, loaded.split()


def _entries(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


@pytest.mark.parametrize("args", [
    [SPEC], [], ["--format", "json"], ["--lang", "en", "request_specs"], ["--advisory", "--format", "json", SPEC],
    ["tests-case.yaml"],                    # a spec with problems of its own: exit 1
])
def test_a_hit_prints_what_the_uncached_run_prints_without_loading_the_models(repo, tmp_path, args) -> None:
    (repo / "tests-case.yaml").write_text((ROOT / SPEC).read_text(encoding="utf-8").replace("zwfw", "ZW FW"),
                                          encoding="utf-8")
    cache = tmp_path / "cache"
    uncached = _govcloud(repo, "off", *args)
    first = _govcloud(repo, cache, *args)
    assert len(_entries(cache)) == 1
    hit = _govcloud(repo, cache, *args)
    assert hit[:3] == first[:3] == uncached[:3]
    assert uncached[2] == (1 if args == ["tests-case.yaml"] else 0) and uncached[0]
    assert "pydantic" in first[3] and hit[3] == []
    assert len(_entries(cache)) == 1                    # read back, not written again


def test_no_cache_and_off_keep_nothing(repo, tmp_path) -> None:
    cache = tmp_path / "cache"
    assert _govcloud(repo, cache, "--no-cache", SPEC)[2] == 0
    assert _entries(cache) == []
    _govcloud(repo, cache, SPEC)
    assert "pydantic" in _govcloud(repo, cache, "--no-cache", SPEC)[3]        # checked again, not read back


def test_a_warning_on_stderr_and_exit_1_come_back_alike(repo, tmp_path) -> None:
    shutil.rmtree(repo / "policies")
    (repo / SPEC).write_text((repo / SPEC).read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    cache = tmp_path / "cache"
    uncached = _govcloud(repo, "off", SPEC)
    assert uncached[2] == 1 and "policies/" in uncached[1]       # the warning that there is none
    assert _govcloud(repo, cache, SPEC)[:3] == uncached[:3]
    hit = _govcloud(repo, cache, SPEC)
    assert hit[:3] == uncached[:3] and hit[3] == []


def test_a_mistake_under_policies_is_said_every_time_and_never_kept(repo, tmp_path) -> None:
    (repo / "policies" / "on-demand.yaml").write_text("rules: [\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first, again = _govcloud(repo, cache, SPEC), _govcloud(repo, cache, SPEC)
    assert first[2] == again[2] == 1 and "on-demand.yaml" in first[1] and first[:3] == again[:3]
    assert _entries(cache) == [] and "pydantic" in again[3]


def test_runs_at_once_share_one_entry(repo, tmp_path) -> None:
    """Four processes miss together, each writes the entry (a temporary file renamed): one entry, whole."""
    cache = tmp_path / "cache"
    env = {**os.environ, "GOVCLOUD_VALIDATE_CACHE": str(cache), "GOVCLOUD_NOW": DAY.isoformat()}
    runs = [subprocess.Popen([sys.executable, "-m", "provisioner.cli", "validate", "--format", "json"], cwd=repo,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outputs = {run.communicate()[0] for run in runs}
    assert len(outputs) == 1 and [run.returncode for run in runs] == [0] * 4
    assert len(_entries(cache)) == 1
    assert _govcloud(repo, cache, "--format", "json")[0].encode() in outputs


def _flip(path: Path, at: int = -2) -> None:
    """One byte of the file changed (a letter's case, near the end: the YAML stays readable)."""
    data = bytearray(path.read_bytes())
    index = next(i for i in range(len(data) + at, 0, -1) if chr(data[i]).isalpha())
    data[index] ^= 0x20
    path.write_bytes(bytes(data))


def _run(repo: Path, *paths: str, flags: tuple[str, ...] = FLAGS, day: date = DAY) -> Run:
    return Run(repo, tuple(Path(p) for p in paths), flags, day)


def test_every_input_changes_the_key(repo, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    base = validate_cache.key(_run(repo, SPEC))
    assert base is not None and base == validate_cache.key(_run(repo, SPEC))
    other_department_file = sorted((repo / OTHER).glob("*.yaml"))
    assert len(other_department_file) >= 1
    keys = {base}

    def changed(run: Run) -> None:
        new = validate_cache.key(run)
        assert new is not None and new not in keys
        keys.add(new)

    changed(_run(repo, SPEC, flags=("format='json'", "lang='zh'")))
    changed(_run(repo, SPEC, flags=("format='human'", "lang='en'")))
    changed(_run(repo, SPEC, flags=FLAGS + ("advisory=True",)))
    changed(_run(repo, SPEC, day=date(2026, 11, 28)))
    changed(_run(repo, SPEC, SPEC))
    changed(_run(repo, str(repo / SPEC)))                   # the same file named otherwise: shown alike, keyed apart
    for path in [repo / SPEC, repo / "policies" / "on-demand.yaml", repo / "policies" / "calendar" / "2026.yaml",
                 repo / "Pulumi.yaml", *[p for p in (repo / "request_specs").glob("*/*.yaml") if p != repo / SPEC]]:
        _flip(path)
        changed(_run(repo, SPEC))
    (repo / "policies" / "prices" / "2031.yaml").write_text("x: 1\n", encoding="utf-8")   # a new file
    changed(_run(repo, SPEC))
    (repo / "request_specs" / "jj-new").mkdir()
    (repo / "request_specs" / "jj-new" / "a.yml").write_text("x: 1\n", encoding="utf-8")   # a new department
    changed(_run(repo, SPEC))
    (repo / "policies" / "README.md").unlink()                                             # a file gone
    changed(_run(repo, SPEC))


def test_govcloud_itself_is_in_the_key(repo, monkeypatch, tmp_path) -> None:
    """A changed source of the package (size or modification time) or another installed library is a miss."""
    monkeypatch.chdir(repo)
    package = tmp_path / "provisioner"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(provisioner, "__file__", str(package / "__init__.py"))
    before = validate_cache.key(_run(repo, SPEC))
    (package / "rules.py").write_text("A = 2\n", encoding="utf-8")
    os.utime(package / "rules.py", ns=(1, 1))
    after = validate_cache.key(_run(repo, SPEC))
    site = tmp_path / "site-packages"
    (site / "pydantic-9.9.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    assert len({before, after, validate_cache.key(_run(repo, SPEC))}) == 3


@pytest.mark.parametrize("odd", ["spec link", "department link", "policy link", "outside", "fifo", "policy fifo"])
def test_what_the_key_cannot_describe_goes_uncached(repo, tmp_path, monkeypatch, odd) -> None:
    monkeypatch.chdir(repo)
    spec = SPEC
    if odd == "spec link":
        (repo / "request_specs" / "jj-xzspj" / "link.yaml").symlink_to(repo / SPEC)
        spec = "request_specs/jj-xzspj/link.yaml"
    elif odd == "department link":
        (repo / "request_specs" / "jj-linked").symlink_to(repo / OTHER)
    elif odd == "policy link":
        (repo / "policies" / "extra.yaml").symlink_to(repo / "policies" / "on-demand.yaml")
    elif odd == "outside":
        shutil.copy(repo / SPEC, tmp_path / "outside.yaml")
        spec = str(tmp_path / "outside.yaml")
    elif odd == "fifo":
        os.mkfifo(repo / "request_specs" / "jj-xzspj" / "pipe.yaml")
        spec = "request_specs/jj-xzspj/pipe.yaml"
    else:                                   # a file not regular under policies/ (reading it would block)
        os.mkfifo(repo / "policies" / "pipe.yaml")
    assert validate_cache.key(_run(repo, spec)) is None
    checked = []
    outcome = validate_cache.outcome(tmp_path / "cache", _run(repo, spec),
                                     lambda: checked.append(1) or Outcome("out", "", 0))
    assert outcome == Outcome("out", "", 0) and checked == [1] and not (tmp_path / "cache").exists()


def test_a_result_is_kept_only_if_its_inputs_held_still_while_it_was_checked(repo, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    cache = tmp_path / "cache"

    def check_while_the_spec_changes() -> Outcome:
        _flip(repo / SPEC)
        return Outcome("out", "", 0)

    validate_cache.outcome(cache, _run(repo, SPEC), check_while_the_spec_changes)
    assert _entries(cache) == []


@pytest.mark.parametrize("change", ["a spec grows", "a policy file is replaced", "a request is added", "none"])
def test_files_unchanged_for_a_while_are_looked_at_not_read_again(repo, tmp_path, monkeypatch, change) -> None:
    """Past the racy window, what was seen is compared by its times and identity, not its bytes."""
    monkeypatch.chdir(repo)
    monkeypatch.setattr(validate_cache, "RACY_NS", -10**12)     # every file as if written long before
    monkeypatch.setattr(validate_cache, "key", lambda run: pytest.fail("read again"))
    cache = tmp_path / "cache"

    def check_while_something_changes() -> Outcome:
        if change == "a spec grows":
            with open(repo / SPEC, "ab") as handle:
                handle.write(b"#")
        elif change == "a policy file is replaced":
            (repo / "policies" / "new.yaml").write_bytes((repo / "policies" / "naming.yaml").read_bytes())
            os.replace(repo / "policies" / "new.yaml", repo / "policies" / "naming.yaml")
        elif change == "a request is added":
            shutil.copy(repo / SPEC, repo / OTHER / "copy.yaml")
        return Outcome("out", "", 0)

    validate_cache.outcome(cache, _run(repo, SPEC), check_while_something_changes)
    assert len(_entries(cache)) == (1 if change == "none" else 0)


def test_entries_are_bounded_oldest_first_and_written_whole(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(validate_cache, "MAX_ENTRIES", 3)
    cache = tmp_path / "cache"
    for number in range(5):
        validate_cache.store(cache, f"k{number}", Outcome(f"out {number}", "", number))
        os.utime(cache / f"k{number}", ns=(number * 10**9, number * 10**9))
    assert validate_cache.load(cache, "k2") == Outcome(b"out 2", "", 2)    # used: now the newest
    validate_cache.store(cache, "k5", Outcome("out 5", "", 0))
    assert _entries(cache) == ["k2", "k4", "k5"]                              # no temporary file left
    monkeypatch.setattr(validate_cache, "MAX_BYTES", 1)
    validate_cache.store(cache, "k6", Outcome("out 6", "", 0))
    assert _entries(cache) == ["k6"]


def test_what_was_read_back_is_printed_as_print_would(capsys, monkeypatch) -> None:
    """The stored output is print()'s UTF-8 bytes, written as they are to a UTF-8 stdout, and
    through print() to any other (which fails, or writes, exactly as the uncached run would)."""
    Outcome("政务云\nok".encode(), "警告", 1).show()
    assert capsys.readouterr() == ("政务云\nok\n", "警告\n")
    import io
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    monkeypatch.setattr(sys, "stdout", latin)
    Outcome("é".encode(), "", 0).show()
    latin.flush()
    assert latin.buffer.getvalue() == b"\xe9\n"
    with pytest.raises(UnicodeEncodeError):
        Outcome("政".encode(), "", 0).show()


def test_an_entry_in_a_folder_it_may_only_read_is_still_a_hit(tmp_path, monkeypatch) -> None:
    validate_cache.store(tmp_path, "k", Outcome("out", "", 1))

    def read_only(*_args: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "utime", read_only)
    assert validate_cache.load(tmp_path, "k") == Outcome(b"out", "", 1)


def test_a_damaged_entry_is_a_miss(tmp_path) -> None:
    (tmp_path / "k").write_bytes(b"\x00garbage")
    assert validate_cache.load(tmp_path, "k") is None
    assert validate_cache.load(tmp_path, "absent") is None


def test_an_unwritable_cache_is_no_cache(repo, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    outcome = validate_cache.outcome(blocked / "cache", _run(repo, SPEC), lambda: Outcome("out", "", 1))
    assert outcome == Outcome("out", "", 1)


def test_its_folder_names_are_the_checkers_own() -> None:
    from provisioner.policy.files import POLICY_FOLDER
    assert validate_cache.POLICY_FOLDER == POLICY_FOLDER


def test_the_setting() -> None:
    from provisioner.settings import Settings
    home: dict[str, str] = {}
    assert Settings.from_environ(home, ROOT).validate_cache == Path.home() / ".cache/govcloud/validate"
    assert Settings.from_environ({**home, "XDG_CACHE_HOME": "/x"}, ROOT).validate_cache == Path("/x/govcloud/validate")
    assert Settings.from_environ({**home, "GOVCLOUD_VALIDATE_CACHE": "/c"}, ROOT).validate_cache == Path("/c")
    assert Settings.from_environ({**home, "GOVCLOUD_VALIDATE_CACHE": "off"}, ROOT).validate_cache is None
