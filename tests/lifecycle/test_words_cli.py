"""A lifecycle step the ledger refuses is said in the reader's language (issue 15, item 5): its
words are a Text of lifecycle/messages.py, said by the CLI's error boundary in --lang."""

from __future__ import annotations

import re
from pathlib import Path

from tests.lifecycle.helpers import SYSTEM
from tests.lifecycle.test_cli import repo  # noqa: F401 - the fixture
from tests.lifecycle.test_flow_cli import DAY0, flow, in_trial, run  # noqa: F401 - the fixture

CHINESE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def test_a_refused_extension_is_said_in_english_with_lang_en_and_in_chinese_by_default(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001,F811
    in_trial(monkeypatch, capsys)
    argv = ("extend", SYSTEM, "--days", "99", "--reason", "等保测评未完成")
    assert run(monkeypatch, DAY0, "lifecycle", "--lang", "en", *argv) == 1
    said = capsys.readouterr().err
    assert "a trial extension is 1 to 15 days, not 99 (art16)" in said and not CHINESE.search(said)
    assert run(monkeypatch, DAY0, "lifecycle", *argv) == 1
    assert "试用延期天数须为 1 至 15 天，而非 99（第十六条）" in capsys.readouterr().err


def test_a_step_the_state_does_not_allow_is_said_in_english(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001,F811
    in_trial(monkeypatch, capsys)
    assert run(monkeypatch, DAY0, "--lang", "en", "lifecycle", "done", SYSTEM, "terminate") == 1
    said = capsys.readouterr().err
    assert "cannot terminate in state trial (allowed in: handover)" in said and not CHINESE.search(said)
    assert run(monkeypatch, DAY0, "lifecycle", "done", SYSTEM, "terminate") == 1
    assert "当前状态为 trial，不能执行 terminate（允许的状态：handover）" in capsys.readouterr().err
