"""bench/bench_cli.py and bench/bench_validate.py keep working (small sizes; the benchmarks are larger)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> str:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=True).stdout


def test_bench_cli_prints_every_command_and_both_ratios() -> None:
    out = _bench("bench/bench_cli.py", "--repeat", "1")
    assert re.search(r"govcloud validate <one spec> cold +\d+ ms +[0-9.]+x", out), out
    assert re.search(r"govcloud validate <one spec> warm +\d+ ms +[0-9.]+x", out), out
    assert "govcloud apply --help" in out and "govcloud codeowners --help" in out
    assert re.search(r"slowest --help: govcloud (\S+ )?--help at [0-9.]+x the bare start, goal <= 10x: (met|MISSED)", out)
    assert re.search(r"validate of one spec, cold, a first run: [0-9.]+x the bare start \(CPU [0-9.]+x\), "
                     r"goal <= 5x: (met|MISSED)", out)
    assert re.search(r"validate of one spec, warm, unchanged inputs read back: [0-9.]+x", out)
    # what the cold run cannot do without, against the same budget
    assert re.search(r"import pydantic \(BaseModel\), alone: \d+ ms, [0-9.]+x the bare start, \d+% of the 5x budget", out)
    assert re.search(r"import the models \(policy\), alone: \d+ ms, [0-9.]+x the bare start, \d+% of the 5x budget", out)


def test_bench_validate_compares_whole_processes_with_policy_findings() -> None:
    out = _bench("bench/bench_validate.py", "--count", "40", "--repeat", "1")
    found = re.search(r"specs: 40, (\d+) policy findings located", out)
    assert found and int(found.group(1)) > 0, out          # the crowded departments' caps fire
    assert re.search(r"peer: jsonschema \+ PyYAML CSafeLoader: +[0-9.]+ s", out), out
    assert re.search(r"ratio govcloud cold / peer, whole processes: +[0-9.]+x", out), out
    assert re.search(r"ratio govcloud warm / peer, whole processes: +[0-9.]+x", out), out
    assert re.search(r"floor: the files only read \(PyYAML CSafeLoader, no checks\): +[0-9.]+ s .*"
                     r"[0-9.]+x the peer: (below|AT OR ABOVE) the 0.3x goal", out), out


def test_the_parse_only_floor_reads_every_file_and_checks_nothing(tmp_path: Path) -> None:
    good, broken = tmp_path / "good.yaml", tmp_path / "broken.yaml"
    good.write_text("day: 5\n")                 # the peer's schema would refuse it: the floor checks nothing
    peer = [sys.executable, str(ROOT / "bench" / "peer_jsonschema.py"), "--parse-only"]
    done = subprocess.run([*peer, str(good), str(good)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "2 file(s) read")
    broken.write_text("day: [5\n")              # but it does read them: a file that does not parse fails it
    assert subprocess.run([*peer, str(broken)], capture_output=True, text=True, timeout=60).returncode == 1


def test_the_libraries_alone_hold_the_listed_libraries_and_nothing_of_govclouds(tmp_path: Path) -> None:
    # SQLAlchemy imports greenlet when it is installed; the daemon keeps it out, so the floor must too.
    listing = tmp_path / "modules.txt"
    listing.write_text("json\nyaml\nsqlalchemy\nprovisioner.catalogue\n")
    done = subprocess.run([sys.executable, "-OO", str(ROOT / "bench" / "libraries_alone.py"), str(listing)],
                          cwd=ROOT, input="", capture_output=True, text=True, timeout=60, check=True)
    held = done.stdout.strip().partition("libraries: ")[2].split(", ")
    assert {"yaml", "sqlalchemy"} <= set(held), done.stdout
    assert "greenlet" not in held, done.stdout
    assert " 0 of govcloud's" in done.stdout, done.stdout


def test_the_fair_peer_reports_what_the_schema_rejects(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object", "properties": {"day": {"type": "string", "format": "date"}}}')
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("day: 2026-03-01\n")            # a date stays the string the schema expects
    bad.write_text("day: 5\n")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "peer_jsonschema.py"), str(schema), str(good),
                           str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"{bad}: $.day: 5 is not of type 'string'" in done.stdout
    assert str(good) not in done.stdout.replace(f"{bad}", "")


def test_a_bench_runs_on_its_own_settings_whatever_the_shell_holds() -> None:
    # After `eval "$(govcloud env)"` the shell's passphrase used to win over a bench's own file.
    probe = ("import os, sys; sys.path.insert(0, 'bench'); from benchenv import own_environment; "
             "dropped = own_environment(); print(sorted(dropped), sorted(k for k in os.environ "
             "if k.startswith(('GOVCLOUD_', 'PULUMI_', 'OS_'))))")
    env = {"PATH": "/usr/bin:/bin", "PULUMI_CONFIG_PASSPHRASE": "shell", "GOVCLOUD_NOW": "2027-01-01",
           "OS_CLOUD": "other", "GOVCLOUD_CACHE": "/tmp/cache", "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "['GOVCLOUD_NOW', 'OS_CLOUD', 'PULUMI_CONFIG_PASSPHRASE', 'PYTHONDONTWRITEBYTECODE'] ['GOVCLOUD_CACHE']"


_MODELS_BUILT = """
import sys
{imports}
from pydantic import BaseModel
seen, todo = set(), [BaseModel]
while todo:
    for cls in todo.pop().__subclasses__():
        if cls not in seen:
            seen.add(cls)
            todo.append(cls)
print("\\n".join(sorted(f"{{c.__module__}}.{{c.__qualname__}}" for c in seen if c.__module__.startswith("provisioner"))))
"""


def _models_built(imports: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _MODELS_BUILT.format(imports=imports)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


def test_bench_cli_imports_every_model_a_cold_validate_builds() -> None:
    """Its floor line ("import the models") stays a floor: it builds each model a real `govcloud validate`
    of one spec builds (the policy package loads its names on first use, so its bare import builds none)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_cli import CHECKED_WITH, SPEC
    finally:
        sys.path.remove(str(ROOT / "bench"))
    validate = ("import contextlib, io\nfrom provisioner.cli import main\n"
                f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['validate', '--no-cache', {str(SPEC)!r}])")
    built_by_validate = _models_built(validate)
    assert len(built_by_validate) > 50, built_by_validate
    assert built_by_validate <= _models_built(CHECKED_WITH)
