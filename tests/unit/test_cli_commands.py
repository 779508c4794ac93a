"""The command table: each entry loads, under the name it is listed by; help needs no command imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from provisioner import cli


@pytest.mark.parametrize("entry", cli.COMMANDS, ids=lambda c: c.name)
def test_each_command_loads_under_its_name(entry: cli.Command) -> None:
    command = entry.load()
    assert command.NAME == entry.name
    assert callable(command.run) and callable(command.add_arguments) and entry.help


def test_names_are_unique() -> None:
    names = [c.name for c in cli.COMMANDS]
    assert len(names) == len(set(names))


def test_validate_does_not_import_the_engine_cloud_or_ledger() -> None:
    probe = ("import sys; from provisioner import cli; cli._parser(['validate', 'x.yaml']); "
             "print(sorted({'pulumi', 'openstack', 'sqlalchemy'} & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    shown = capsys.readouterr().out
    assert all(c.name in shown for c in cli.COMMANDS)


def test_every_command_that_touches_the_cloud_or_the_ledger_is_audited() -> None:
    # art26: each run of these is appended to the audit log (who, arguments, outcome).
    unaudited = {c.name for c in cli.COMMANDS if not c.audited}
    assert unaudited == {"validate", "policy", "schema", "env", "codeowners", "alerts-config"}   # files only


def test_destroy_does_not_import_openstacksdk_or_the_lifecycle() -> None:
    # It only runs `pulumi destroy`; the cloud's offer and `apply --base` are apply's.
    probe = ("import sys; from provisioner import cli; next(c for c in cli.COMMANDS if c.name == 'destroy').load(); "
             "print(sorted({'openstack', 'provisioner.gitops', 'provisioner.lifecycle'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


# What a command imports only to run: none of it may load for `--help` (about 1.5 s of a 2 s start;
# pydantic with the spec and policy models alone is 4-5x a bare Python start, issue 18's goal 10x).
HEAVY = ("sqlalchemy", "openstack", "pulumi", "alembic", "boto3", "pydantic")


def _imported_by(argv: list[str]) -> list[str]:
    probe = ("import json, sys\nfrom provisioner import cli\ntry:\n    cli.main(%r)\nexcept SystemExit:\n    pass\n"
             "print(json.dumps(sorted(set(%r) & {m.split('.')[0] for m in sys.modules})))" % (argv, HEAVY))
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_imports_no_command() -> None:
    probe = ("import sys\nfrom provisioner import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('provisioner.commands.')))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert _imported_by(["--help"]) == []


@pytest.mark.parametrize("entry", cli.COMMANDS, ids=lambda c: c.name)
def test_command_help_imports_nothing_heavy(entry: cli.Command) -> None:
    assert _imported_by([entry.name, "--help"]) == []


def test_security_report_offers_every_severity_strongest_first() -> None:
    from provisioner.commands.security_report import SEVERITIES
    from provisioner.policy import Severity

    assert SEVERITIES == tuple(s.value for s in Severity)
