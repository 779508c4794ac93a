"""One --lang for every command: given before the command, it is the command's language,
including the problems the error boundary prints (a command's own --lang still wins)."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from provisioner.cli import COMMANDS, _parser, main

ROOT = Path(__file__).resolve().parents[2]


def _command_parser(argv: list[str], name: str) -> argparse.ArgumentParser:
    subparsers = next(a for a in _parser(argv)._actions if isinstance(a, argparse._SubParsersAction))
    return subparsers.choices[name]


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_every_command_takes_the_language_given_before_it(name: str) -> None:
    assert _command_parser(["--lang", "en", name], name).get_default("lang") == "en"
    assert _command_parser([name], name).get_default("lang") == "zh"


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_every_command_and_subcommand_takes_the_language_after_it_too(name: str) -> None:
    """Where people type it: `govcloud drift --lang en`, `govcloud lifecycle submit --lang en`."""
    def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        subs = [p for a in parser._actions if isinstance(a, argparse._SubParsersAction) for p in a.choices.values()]
        return [parser, *(found for sub in subs for found in parsers(sub))]

    for parser in parsers(_command_parser([name], name)):
        assert any(a.dest == "lang" and "--lang" in a.option_strings for a in parser._actions), parser.prog


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    spec = tmp_path / "request_specs" / "jj-test" / "broken.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text("apiVersion: govcloud/v1\nkind: RequestSpec\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("argv", "english"), [
    (["--lang", "en", "lifecycle", "submit", "request_specs/jj-test/broken.yaml"], True),
    (["lifecycle", "--lang", "en", "submit", "request_specs/jj-test/broken.yaml"], True),
    (["lifecycle", "submit", "request_specs/jj-test/broken.yaml", "--lang", "en"], True),
    (["lifecycle", "--lang", "en", "submit", "request_specs/jj-test/broken.yaml", "--lang", "zh"], False),
    (["lifecycle", "submit", "request_specs/jj-test/broken.yaml"], False),
])
def test_spec_problems_are_printed_in_the_language_asked_for(repo: Path, argv: list[str], english: bool,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("request_specs/jj-test/broken.yaml:")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err) is not english, err


def test_a_broken_policy_file_is_reported_in_english_with_the_global_lang(repo: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "policies" / "naming.yaml").write_text("version: 2\n", encoding="utf-8")
    assert main(["--lang", "en", "policy", "check", "request_specs/jj-test"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("policies/naming.yaml:1:") and "version is invalid" in err


def test_a_nested_command_follows_the_global_lang_and_its_own_wins(repo: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(repo / "request_specs" / "jj-test")
    main(["--lang", "en", "policy", "check", "--on", "2026-11-27"])
    assert capsys.readouterr().out.startswith("policies: 0 file(s)")
    main(["--lang", "en", "policy", "check", "--lang", "zh", "--on", "2026-11-27"])
    assert capsys.readouterr().out.startswith("政策检查：0 个文件")
