"""bench/bench_reconcile.py keeps working (small size here; the 10,000-system run is the benchmark)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.lifecycle.helpers import ROOT


def test_bench_reconcile_runs_and_reports_a_ratio(postgres_url: str) -> None:
    for url in ([], ["--url", postgres_url]):
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_reconcile.py"), "--systems", "300",
                              "--repeat", "1", *url], capture_output=True, text=True, timeout=300, check=True).stdout
        assert re.search(r"reconcile \(rows whose next check has come\): [0-9.]+ s  goal <= 1\.0 s  OK", out), out
        assert re.search(r"ratio baseline / reconcile: \d+x", out), out
        assert "(285 live rows)" in out          # 300 less the terminated fifteen
