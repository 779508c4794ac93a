"""Errors of settings, the clock, the ledger and git that were English only: Chinese by default,
English with --lang en (issue 15, item 5), through the CLI as a person runs it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provisioner import cli

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


@pytest.mark.parametrize(("environ", "zh", "en"), [
    ({"GOVCLOUD_NOW": "tuesday"}, "GOVCLOUD_NOW 应为 ISO 日期或日期时间",
     "GOVCLOUD_NOW must be an ISO date or date-time such as 2026-12-21T09:00"),
    ({"GOVCLOUD_LOCK_WAIT": "abc"}, "GOVCLOUD_LOCK_WAIT 应为秒数，而不是 'abc'",
     "GOVCLOUD_LOCK_WAIT must be a number of seconds, not 'abc'"),
    ({"GOVCLOUD_CLOUD_TIMEOUT": "0"}, "GOVCLOUD_CLOUD_TIMEOUT 应大于 0（0）", "GOVCLOUD_CLOUD_TIMEOUT must be more than 0 (0)"),
    ({"GOVCLOUD_LEDGER_URL": "mysql://ledger"}, "GOVCLOUD_LEDGER_URL 应为 sqlite:///... 或 postgresql+psycopg://...",
     "GOVCLOUD_LEDGER_URL must be sqlite:///... or postgresql+psycopg://..., not mysql:"),
], ids=["clock", "seconds", "positive", "ledger-url"])
def test_a_wrong_setting_is_said_in_the_language_asked_for(environ: dict[str, str], zh: str, en: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    said = {}
    for lang in ("zh", "en"):
        assert cli.main(["--lang", lang, "lifecycle", "show", "city.jj-xzspj.zwfw-portal"]) == 1
        captured = capsys.readouterr()
        assert captured.out == "" and "Traceback" not in captured.err
        said[lang] = captured.err
    assert zh in said["zh"]
    assert en in said["en"] and not CHINESE.search(said["en"])
    assert cli.main(["lifecycle", "show", "city.jj-xzspj.zwfw-portal"]) == 1      # Chinese unless asked
    assert capsys.readouterr().err == said["zh"]


def test_drift_and_repair_say_a_deleted_project_in_one_sentence() -> None:
    from provisioner.app import drift, repair
    from provisioner.app.apply import Planned
    from provisioner.spec import parse_spec

    spec_path = "request_specs/jj-xzspj/zwfw-portal.yaml"
    spec = parse_spec((ROOT / spec_path).read_text(encoding="utf-8"), spec_path)
    item = Planned(spec, spec_path, f"city.{spec.department}", f"city.{spec.department}.{spec.metadata.system}")
    assert repair.missing_project is drift.missing_project
    found = drift.missing_project(item, item.tenant, "f00d", None, "art19")
    assert found.code == "missing-project" and found.article == "art19"
    assert found.render("en").endswith(
        f"the department's project city-jj-xzspj (f00d) was deleted in the cloud: stack {item.tenant} cannot read "
        f"its resources; `govcloud repair {item.tenant}` makes the project and its resources again (data volumes "
        "come back from backups) [art19]")
    assert f"部门项目已在云上被删除：city-jj-xzspj（f00d）；栈 {item.tenant} 无法读取其资源" in found.render("zh")
