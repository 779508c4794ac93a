"""bench/bench_policy.py keeps working (small size here; 1,000 specs is the benchmark)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.policy.conftest import ROOT


def test_bench_policy_runs_both_layouts_and_reports_ratios() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_policy.py"), "--count", "64", "--repeat", "1"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    assert re.search(r"crowded .*: 64 specs in 8 departments; \d+ rules", out), out
    assert re.search(r"spread .*: 64 specs in 16 departments", out), out
    assert len(re.findall(r"policies alone \(nothing located\): +[0-9.]+ s .* goal <= 1 s  OK", out)) == 2, out
    assert len(re.findall(r"ratio validate / baseline: +[0-9.]+x", out)) == 2, out
