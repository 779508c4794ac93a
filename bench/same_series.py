"""Whether a change keeps the exporter's series byte for byte: a digest of its exposition on a fixed ledger.

    .venv/bin/python bench/same_series.py [--systems 10000]

Fills a ledger with the synthetic year (tests/billing/synthetic.py: the same rows on every run)
and its recorded utilisation, runs the daemon as deployed once (`python -OO -m provisioner.metering
--once`, benchenv.EXPORTER_DAEMON) at a fixed GOVCLOUD_NOW, every kind measured by a static source for
a third of the systems, no cloud, and prints the series count and the SHA-256 of the exposition
without the collection's durations (the only values that differ from run to run). Run it before
and after a change: the same digest is the same series, value for value. Touches no cloud.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import select

from benchenv import EXPORTER_DAEMON, own_environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
own_environment()        # no ledger URL, clock or cloud of the shell's

from provisioner.allocation.kinds import KINDS  # noqa: E402
from provisioner.ledger import Ledger  # noqa: E402
from provisioner.ledger.metering_schema import migrate_metering  # noqa: E402
from provisioner.ledger.schema import systems  # noqa: E402
from tests.billing import synthetic  # noqa: E402

NOW = "2026-12-05T12:00:00+00:00"
VARYING = b"govcloud_metering_source_duration_seconds"   # a collection's durations: never the same twice


def fixed_ledger(folder: Path, count: int) -> str:
    url = f"sqlite:///{folder / 'ledger.sqlite3'}"
    ledger = Ledger.open(url)
    migrate_metering(ledger.engine)
    now = datetime.fromisoformat(NOW)
    synthetic.fill(ledger, count, now.year, now)
    synthetic.fill_utilisation(ledger, now.year, now)
    with ledger.transaction() as conn:
        keys = sorted(conn.execute(select(systems.c.system_key).distinct()).scalars())
    ledger.close()
    ratios = {key: {kind.key: round(0.1 + i % 9 / 10, 2) for kind in KINDS} for i, key in enumerate(keys[::3])}
    (folder / "static.yaml").write_text(yaml.safe_dump(ratios), encoding="utf-8")
    return url


def exposition(folder: Path, url: str) -> bytes:
    env = {**os.environ, "GOVCLOUD_NOW": NOW, "GOVCLOUD_LEDGER_URL": url, "GOVCLOUD_ACTOR": "same-series",
           "GOVCLOUD_CACHE": str(folder)}
    once = ["--once", "--utilisation", f"static:{folder / 'static.yaml'}", "--inventory", "none"]
    done = subprocess.run([*EXPORTER_DAEMON, *once], cwd=ROOT, env=env, capture_output=True, check=True)
    return b"".join(line for line in done.stdout.splitlines(keepends=True) if not line.startswith(VARYING))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="same-series-") as work:
        folder = Path(work)
        text = exposition(folder, fixed_ledger(folder, args.systems))
    series = sum(1 for line in text.splitlines() if line and not line.startswith(b"#"))
    print(f"{args.systems} systems at {NOW}: {series} series, sha256 {hashlib.sha256(text).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
