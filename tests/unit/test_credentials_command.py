"""`govcloud credentials` alone is `govcloud credentials list` (its help and the README say so)."""

from __future__ import annotations

from pathlib import Path

import pytest

import provisioner.cloud.inventory
import provisioner.commands.cloud_reads
import provisioner.credentials
from provisioner.cli import _parser
from provisioner.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [["credentials"], ["credentials", "list"], ["--lang", "en", "credentials"]])
def test_credentials_without_a_subcommand_lists_with_the_lists_defaults(
        argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The cloud's answer is not the point here: no accounts, read from nowhere.
    monkeypatch.setattr(provisioner.commands.cloud_reads, "connect", lambda settings: None)
    monkeypatch.setattr(provisioner.cloud.inventory, "read_accounts", lambda conn: [])
    monkeypatch.setattr(provisioner.credentials, "listing", lambda *args, **kwargs: [])
    args = _parser(argv).parse_args(argv)
    settings = Settings.from_environ({"GOVCLOUD_CACHE": "/nonexistent"}, ROOT)

    assert (args.department, args.format) == (None, "text")
    assert args.run(args, settings) == 0
    assert capsys.readouterr().out.strip()
