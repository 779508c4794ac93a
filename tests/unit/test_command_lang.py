"""One --lang honoured by every command (issue 15, item 5): each command of cli.COMMANDS, and each
of its subcommands, says what it says in English with `--lang en` and in Chinese without it.

Each is run through provisioner.cli.main on an input that makes it speak without a cloud or an
engine: a user error (a broken spec, a bad department code, a missing file, a setting govcloud
checks itself, not argparse) or its normal output on a scratch repository made from the samples
(Pulumi.yaml, policies/, one broken spec, a git commit, its own ledger and state folder).
What cannot be made to speak so is listed with why in SILENT (it says no sentence at all).
"""

from __future__ import annotations

import argparse
import re
import shutil
import string
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from provisioner.cli import COMMANDS, _parser, main
from provisioner.commands.messages import WORDS

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
BROKEN = "request_specs/jj-test/broken.yaml"

# (the command's words, argv after them, exit status, the sentence of the commands' table it says, or ""
# when its words are another package's: the spec's problems, the lifecycle's refusals, the bill's lines).
# {tmp} is a scratch folder outside the repository.
CASES: list[tuple[tuple[str, ...], list[str], int, str]] = [
    (("apply",), ["--base", "HEAD", BROKEN], 1, "apply-base-no-paths"),
    (("apply",), [BROKEN], 1, ""),                                              # the spec's problems
    (("apply",), ["--base", "HEAD", "--department", "jj-test"], 0, "no-spec-changed"),
    (("preview",), [BROKEN], 1, ""),
    (("destroy",), [BROKEN], 1, ""),
    (("drift",), [BROKEN], 1, ""),
    (("validate",), [BROKEN], 1, "validate-some-invalid"),
    (("validate",), ["request_specs/no-such.yaml"], 2, "no-such-path"),
    (("policy", "check"), [BROKEN], 1, ""),
    (("policy", "report"), [BROKEN], 1, ""),
    (("policy", "docs"), ["--check", "-o", "{tmp}/README.md"], 1, "policy-docs-stale"),
    (("schema",), ["-o", "{tmp}/no/such/schema.json"], 1, "cannot-write-file"),
    (("calendar", "deadline"), ["--from", "2026-12-29", "--working-days", "3"], 0, ""),   # 2027: no schedule
    (("calendar", "day"), ["2031-05-05"], 0, "working-day"),
    (("reconcile",), [], 1, "unknown-reconcile-engine"),                        # GOVCLOUD_RECONCILE_ENGINE=bogus
    (("lifecycle", "submit"), [BROKEN], 1, ""),                                 # issue 15: `lifecycle --lang en submit`
    (("lifecycle", "accept"), ["R-NONE"], 1, ""),
    (("lifecycle", "reject"), ["R-NONE", "--reason", "not needed"], 1, ""),
    (("lifecycle", "verdict"), ["city.jj-test.none", "--party", "department"], 1, ""),
    (("lifecycle", "extend"), ["city.jj-test.none", "--days", "3", "--reason", "more tests"], 1, ""),
    (("lifecycle", "terminate"), ["city.jj-test.none", "--request-id", "R-END", "--reason", "x"], 1, ""),
    (("lifecycle", "done"), ["city.jj-test.none", "create_trial"], 1, ""),
    (("lifecycle", "early-go-live"), ["city.jj-test.none", "--reason", "ready early"], 1, ""),
    (("lifecycle", "show"), ["city.jj-test.none"], 1, ""),
    (("lifecycle", "handover", "show"), ["city.jj-test.none"], 1, ""),
    (("lifecycle", "handover", "confirm"), ["city.jj-test.none", "--by", "wang"], 1, ""),
    (("status",), [], 0, "status-total"),
    (("status",), ["--html", "{tmp}/site"], 0, "status-pages-written"),
    (("audit", "verify"), [], 0, "audit-intact"),
    (("audit", "verify"), ["--file", "{tmp}/none.jsonl"], 1, "cannot-read-file"),
    (("audit", "verify"), ["--exported"], 1, "audit-bucket-unset"),
    (("audit", "export"), [], 1, "audit-bucket-unset"),
    (("audit", "prune"), ["--before", "2020-01-01"], 0, "audit-pruned"),
    (("audit", "show"), ["-n", "1"], 0, "audit-run-unclosed"),                  # its own run, not closed yet
    (("exporter",), ["--listen", "nowhere"], 1, "listen-malformed"),
    (("bill",), ["--year", "2026", "--inventory", "none", "--out", "{tmp}/bill"], 0, ""),
    (("plan",), ["--base", "HEAD", "--no-preview"], 1, ""),                     # jj-test has no approvers
    (("unlock",), ["city.jj-test.none"], 0, "not-locked"),
    (("codeowners",), ["--check", "-o", "{tmp}/CODEOWNERS"], 1, ""),            # jj-test has no owners
    (("alerts-config",), ["--smarthost", "localhost:25", "--from", "ops@example.org", "-o", "{tmp}/am.yml",
                          "--check"], 1, "generated-stale"),
    (("credentials", "list"), ["--department", "Bad_Code"], 1, "not-a-department-code"),
    (("credentials", "rotate"), ["Bad_Code", "--stdout"], 1, "not-a-department-code"),
    (("credentials", "revoke-expired"), ["--department", "Bad_Code"], 1, "not-a-department-code"),
    (("security-report",), ["--department", "JJ X"], 1, "not-a-department-code"),
    (("security-report",), ["--department", "jj-none"], 1, "no-clouds-yaml"),
    (("regions",), [], 1, ""),                                                   # no cloud: cloud/messages.py
    (("adopt",), [], 1, ""),                                                     # no engine: stacks/messages.py
    (("repair",), ["city.jj-test.none"], 1, ""),
    (("calendar", "trial-end"), ["--start", "2026-02-10", "--extension-days", "-1"], 1, ""),  # provisioner/messages.py
]

# Says no sentence at all: nothing to put into a language.
SILENT = {
    ("env",): "prints shell exports for eval (data); its errors are the settings' own",
    ("calendar", "retention"): "prints one ISO date (-v: the rule id and a UTC moment); a bad date is argparse's error",
}

def _leaves(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield words
        return
    for name, sub in subparsers[0].choices.items():
        yield from _leaves(sub, (*words, name))


def every_command() -> set[tuple[str, ...]]:
    """Each command of cli.COMMANDS and each subcommand under it, as the words that name it."""
    found: set[tuple[str, ...]] = set()
    for command in COMMANDS:
        chosen = next(a for a in _parser([command.name])._actions if isinstance(a, argparse._SubParsersAction))
        found |= set(_leaves(chosen.choices[command.name], (command.name,)))
    return found


def test_every_command_and_subcommand_is_heard_or_said_why_not() -> None:
    heard = {words for words, *_ in CASES}
    assert not heard & set(SILENT)
    assert heard | set(SILENT) == every_command()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    scratch = tmp_path_factory.mktemp("lang")
    root = scratch / "repo"
    root.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", root)
    shutil.copytree(ROOT / "policies", root / "policies")
    (root / BROKEN).parent.mkdir(parents=True)
    (root / BROKEN).write_text("apiVersion: govcloud/v1\nkind: RequestSpec\n", encoding="utf-8")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "scratch"], check=True)
    (scratch / "state").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("GOVCLOUD_CACHE", str(scratch / "cache"))          # no engine there
        patch.setenv("GOVCLOUD_LEDGER_URL", f"sqlite:///{scratch / 'ledger.sqlite3'}")
        patch.setenv("GOVCLOUD_STATE_URL", (scratch / "state").as_uri())
        patch.setenv("PULUMI_BACKEND_URL", (scratch / "state").as_uri())
        patch.setenv("GOVCLOUD_ACTOR", "ops:test")
        patch.setenv("GOVCLOUD_RECONCILE_ENGINE", "bogus")
        patch.setenv("OS_CLIENT_CONFIG_FILE", str(scratch / "clouds.yaml"))    # none: no cloud
        for name in ("GOVCLOUD_AUDIT_BUCKET", "GOVCLOUD_PROMETHEUS_URL", "GOVCLOUD_MR_DEPARTMENT", "GOVCLOUD_CLOUD"):
            patch.delenv(name, raising=False)
        yield scratch


def _said(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out + err


def _fixed_part(key: str, lang: str) -> str:
    """The longest stretch of a sentence's template that no value fills in: what any saying of it shows."""
    return max((literal.strip() for literal, *_ in string.Formatter().parse(WORDS.template(key, lang))), key=len)


def _speaks_both(words: tuple[str, ...], rest: list[str], code: int, said: str, scratch: Path,
                 capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*words, *(arg.replace("{tmp}", str(scratch)) for arg in rest)]
    code_en, english = _said(["--lang", "en", *argv], capsys)
    assert code_en == code, english
    assert english.strip() and not CHINESE.search(english), english
    code_zh, chinese = _said(argv, capsys)
    assert code_zh == code, chinese
    assert CHINESE.search(chinese), chinese
    if said:
        assert _fixed_part(said, "en") in english and _fixed_part(said, "zh") in chinese, (english, chinese)


@pytest.mark.parametrize(("words", "rest", "code", "said"), CASES, ids=[" ".join(w + tuple(r)) for w, r, *_ in CASES])
def test_the_command_speaks_english_with_lang_en_and_chinese_without(
        repo: Path, words: tuple[str, ...], rest: list[str], code: int, said: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    _speaks_both(words, rest, code, said, repo, capsys)


def test_codeowners_says_what_it_did_to_the_file_in_the_language_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "request_specs").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    assert _said(["--lang", "en", "codeowners", "--check"], capsys) == (
        1, "govcloud codeowners: CODEOWNERS is not current: run govcloud codeowners and commit it\n")
    assert _said(["codeowners", "--check"], capsys) == (
        1, "govcloud codeowners：CODEOWNERS 不是最新的，请运行 govcloud codeowners 并提交\n")
    assert _said(["codeowners"], capsys) == (0, "CODEOWNERS：已写入\n")
    assert _said(["--lang", "en", "codeowners"], capsys) == (0, "CODEOWNERS: unchanged\n")
    assert _said(["codeowners", "--check"], capsys) == (0, "CODEOWNERS：已是最新\n")
