"""From the ledger to a unit's mailbox, all real: `govcloud exporter` (GOVCLOUD_NOW set) on a ledger
in which one system's art15 deadline is within a working day, Debian's Prometheus with the
shipped rules, Debian's Alertmanager with the configuration `govcloud alerts-config` generates
from owners.yaml, and a local SMTP server. Exactly one mail reaches that unit, in Chinese,
naming the system, the article and the date; the other unit gets none; the office hears of it."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

from provisioner.policy import Policies
from provisioner.ledger import Ledger
from tests.alerting import scenario
from tests.alerting.conftest import Mailbox, Started, govcloud, start_alertmanager, start_prometheus
from tests.billing.conftest import ROOT, free_port

UNIT, OTHER, OFFICE = "gjtest@jiujiang.example", "gjother@jiujiang.example", "xxb@jiujiang.example"
SETTLE = 6.0         # seconds after the first mail in which a duplicate would have come (3 group intervals)


def _wait_for(box: Mailbox, address: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if box.to(address):
            return
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} within {timeout} s; received: "
                         f"{[(r, m['Subject']) for r, m in box.received]}")


def test_a_near_deadline_sends_one_chinese_mail_to_its_unit(repo: Path, smtp: tuple[Mailbox, int],
                                                             started: Started, tmp_path: Path) -> None:
    began = time.monotonic()
    box, smtp_port = smtp
    now = datetime.now(timezone.utc).replace(microsecond=0)
    ledger_url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = Ledger.open(ledger_url)
    near = scenario.build(ledger, Policies(repo).calendar(), now)
    ledger.close()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "GOVCLOUD_ACTOR": "test:alerting",
           "GOVCLOUD_LEDGER_URL": ledger_url, "GOVCLOUD_NOW": now.isoformat(), "GOVCLOUD_CACHE": str(tmp_path / "cache")}
    run = govcloud(repo, env)

    config = tmp_path / "alertmanager.yml"
    made = run("alerts-config", "--smarthost", f"127.0.0.1:{smtp_port}", "--from", "govcloud@jiujiang.example",
               "--no-require-tls", "--group-wait", "1s", "--group-interval", "2s", "--repeat-interval", "1h",
               "-o", str(config))
    assert made.returncode == 0, made.stderr
    alertmanager = start_alertmanager(started, config)
    exporter = free_port()
    started.run("exporter", [str(ROOT / ".venv/bin/govcloud"), "exporter", "--listen", f"127.0.0.1:{exporter}", "--interval", "1", "--utilisation", "none",
                                 "--inventory", "none"],
                f"http://127.0.0.1:{exporter}/metrics", cwd=repo, env=env)
    start_prometheus(started, f"127.0.0.1:{exporter}", alertmanager)

    _wait_for(box, UNIT, timeout=40)
    _wait_for(box, OFFICE, timeout=10)
    time.sleep(SETTLE)
    mails = box.to(UNIT)
    assert len(mails) == 1, [m["Subject"] for m in mails]
    assert box.to(OTHER) == []
    mail = mails[0]
    subject, body = mail["Subject"], mail.get_body(preferencelist=("plain",)).get_content()
    system = near.system_key.rsplit(".", 1)[1]
    due = near.due.isoformat()
    assert subject == f"[九江市政务云] 期限将至：{system}：art15 期限 {due} 到期", subject
    assert f"的系统 {system}：信息办应在收到申请后 3 个工作日内答复是否受理（第十五条，art15），期限为 {due}" in body, body
    assert "还剩 0 个工作日" in body or "还剩 1 个工作日" in body
    office = [m for m in box.to(OFFICE) if system in m.get_body(preferencelist=("plain",)).get_content()]
    assert office and "期限将至" in office[0]["Subject"]
    assert time.monotonic() - began < 60
