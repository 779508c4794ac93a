"""Benchmark: `govcloud status` over 10,000 systems, against reading the ledger's systems table alone.

    .venv/bin/python bench/bench_status.py [--systems 10000] [--repeat 5] [--url postgresql+psycopg://...]

Fills a fresh ledger (a temporary SQLite file unless --url) with a year of synthetic systems
(tests/billing/synthetic.py: trials, go-lives, minor changes, terminations), then runs, REPEAT
times each and interleaved, three whole processes started the same way (a fresh Python, the
same virtualenv, GOVCLOUD_NOW and GOVCLOUD_LEDGER_URL set):
  - `govcloud status --format json`   (rows, deadlines and who owes them, trial ends, this
                                        month's cost at the price list; its audit record)
  - `govcloud status`                 (the same as a table with Chinese headers)
  - the baseline: a Python process that imports the ledger's schema and reads every row of
    the systems table (`SELECT * FROM systems`, all columns decoded) and nothing else.
Prints the median wall time and CPU time (user + system) of each, and the ratios status /
baseline. Wall time on a shared machine varies with the other work; CPU time less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from timing import children_cpu  # noqa: E402

from provisioner.calendar import SHANGHAI  # noqa: E402
from provisioner.ledger import Ledger  # noqa: E402
from tests.billing import synthetic  # noqa: E402

NOW = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
PYTHON = ROOT / ".venv" / "bin" / "python"
BASELINE = """
from sqlalchemy import create_engine, select
from provisioner.ledger.schema import systems
import os
engine = create_engine(os.environ["GOVCLOUD_LEDGER_URL"])
with engine.connect() as conn:
    rows = conn.execute(select(systems)).fetchall()
print(len(rows))
"""


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one whole process."""
    before = children_cpu()
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, children_cpu() - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="a PostgreSQL ledger URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-status-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'ledger.sqlite3'}"
        ledger = Ledger.open(url)
        started = time.perf_counter()
        count = synthetic.fill(ledger, args.systems, NOW.year, NOW)
        ledger.close()
        print(f"ledger: {count} systems written in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        env = {**os.environ, "GOVCLOUD_LEDGER_URL": url, "GOVCLOUD_NOW": NOW.isoformat(), "GOVCLOUD_ACTOR": "bench",
               "GOVCLOUD_CACHE": tmp}
        runs: dict[str, list[tuple[float, float]]] = {"status --format json": [], "status (table)": [],
                                                      "baseline: read the systems table": []}
        commands = {"status --format json": [str(ROOT / ".venv/bin/govcloud"), "status", "--format", "json"],
                    "status (table)": [str(ROOT / ".venv/bin/govcloud"), "status"],
                    "baseline: read the systems table": [str(PYTHON), "-c", BASELINE]}
        for name, argv in commands.items():          # one warm-up each: the page cache, .pyc files
            timed(argv, env)
        for _ in range(args.repeat):
            for name, argv in commands.items():
                runs[name].append(timed(argv, env))
    base_wall = statistics.median(w for w, _ in runs["baseline: read the systems table"])
    base_cpu = statistics.median(c for _, c in runs["baseline: read the systems table"])
    for name, measured in runs.items():
        wall, cpu = statistics.median(w for w, _ in measured), statistics.median(c for _, c in measured)
        print(f"{name:34s} wall {wall:6.2f} s ({wall / base_wall:4.2f}x)   cpu {cpu:6.2f} s ({cpu / base_cpu:4.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
