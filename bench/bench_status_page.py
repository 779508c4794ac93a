"""Benchmark: `govcloud status --html DIR` over 10,000 systems, against writing the same rows as CSV.

    .venv/bin/python bench/bench_status_page.py [--systems 10000] [--repeat 3] [--url postgresql+psycopg://...]

Fills a fresh ledger (a temporary SQLite file unless --url) with a year of synthetic systems
(tests/billing/synthetic.py: trials, go-lives, minor changes, terminations) and a year of metered
utilisation, then runs, REPEAT times each and interleaved, two whole processes started alike
(a fresh Python, the same virtualenv, GOVCLOUD_NOW and GOVCLOUD_LEDGER_URL set):
  - `govcloud status --html DIR`   the page set: index, 14 regions, every department, a page per
                                    system with its ledger history (its audit record included)
  - the baseline                    the same data read the same way (commands.status_page.gather:
                                    the status rows with this year's cost, every event, the utilisation,
                                    the agreements), written as two CSV files: one row per system,
                                    one row per event
Prints the median wall and CPU time of each and the ratios page set / CSV, then where the page
set's time goes, measured in this process (gather, page model, rendering, writing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_status import NOW, PYTHON, timed  # noqa: E402
from provisioner.ledger import Ledger  # noqa: E402
from provisioner.ledger.metering_schema import migrate_metering  # noqa: E402
from tests.billing import synthetic  # noqa: E402

BASELINE = """
import csv, sys
from pathlib import Path
from provisioner.commands.status_page import gather
from provisioner.settings import Settings, find_root
import os
root = find_root(Path.cwd())
folder = Path(sys.argv[1])
folder.mkdir(parents=True, exist_ok=True)
inputs = gather(folder, "zh", False, Settings.from_environ(os.environ, root))
used = inputs.utilisation or {}
with open(folder / "systems.csv", "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f)
    for s in inputs.status.systems:
        d = s.duty
        out.writerow([s.key, s.region, s.department, s.system, s.phase, d.at.isoformat() if d and d.at else "",
                      d.rule if d else "", " ".join(d.owed_by) if d else "", s.trial_end.isoformat() if s.trial_end else "",
                      " ".join(s.breached), s.held, used.get(s.key, {}), s.year_cost])
with open(folder / "events.csv", "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f)
    for key, events in inputs.histories.items():
        for e in events:
            out.writerow([key, e.generation, e.at.isoformat(), e.kind, e.rule or "", e.actor, e.detail])
"""


def breakdown(tmp: str, env: dict[str, str]) -> list[tuple[str, float]]:
    """Where the page set's time goes, in this process."""
    os.environ.update(env)
    from provisioner.commands.status_page import gather
    from provisioner.settings import Settings
    from provisioner.statuspage import model, render, site
    folder = Path(tmp) / "breakdown"
    steps: list[tuple[str, float]] = []
    start = time.perf_counter()
    inputs = gather(folder, "zh", False, Settings.from_environ(os.environ, ROOT))
    steps.append(("gather (ledger, policies, files)", time.perf_counter() - start))
    start = time.perf_counter()
    built = model.build(inputs)
    steps.append(("page model", time.perf_counter() - start))
    start = time.perf_counter()
    pages = list(render.pages(built))
    steps.append((f"render {len(pages)} pages", time.perf_counter() - start))
    start = time.perf_counter()
    site.write(pages, folder)
    steps.append(("write them", time.perf_counter() - start))
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="a PostgreSQL ledger URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-status-page-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'ledger.sqlite3'}"
        ledger = Ledger.open(url)
        migrate_metering(ledger.engine)
        started = time.perf_counter()
        count = synthetic.fill(ledger, args.systems, NOW.year, NOW)
        synthetic.fill_utilisation(ledger, NOW.year, NOW)
        ledger.close()
        print(f"ledger: {count} systems and their utilisation written in {time.perf_counter() - started:.1f} s "
              f"({url.split(':')[0]})")
        env = {**os.environ, "GOVCLOUD_LEDGER_URL": url, "GOVCLOUD_NOW": NOW.isoformat(), "GOVCLOUD_ACTOR": "bench",
               "GOVCLOUD_CACHE": tmp}
        commands = {"status --html (page set)": [str(ROOT / ".venv/bin/govcloud"), "status", "--html",
                                                 str(Path(tmp) / "pages")],
                    "baseline: the same rows as CSV": [str(PYTHON), "-c", BASELINE, str(Path(tmp) / "csv")]}
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for argv in commands.values():              # one warm-up each: the page cache, .pyc files
            timed(argv, env)
        for _ in range(args.repeat):
            for name, argv in commands.items():
                runs[name].append(timed(argv, env))
        pages = sum(1 for _ in (Path(tmp) / "pages").rglob("*.html"))
        size = sum(p.stat().st_size for p in (Path(tmp) / "pages").rglob("*.html")) / 1e6
        csv_size = sum(p.stat().st_size for p in (Path(tmp) / "csv").glob("*.csv")) / 1e6
        steps = breakdown(tmp, env)
    base = runs["baseline: the same rows as CSV"]
    base_wall, base_cpu = statistics.median(w for w, _ in base), statistics.median(c for _, c in base)
    print(f"page set: {pages} pages, {size:.1f} MB; CSV: {csv_size:.1f} MB")
    for name, measured in runs.items():
        wall, cpu = statistics.median(w for w, _ in measured), statistics.median(c for _, c in measured)
        print(f"{name:32s} wall {wall:6.2f} s ({wall / base_wall:4.2f}x)   cpu {cpu:6.2f} s ({cpu / base_cpu:4.2f}x)")
    for step, seconds in steps:
        print(f"  {step:34s} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
