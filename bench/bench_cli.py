"""Benchmark: how fast `govcloud` starts, against a bare Python start.

    .venv/bin/python bench/bench_cli.py [--repeat 7]

Whole processes, interleaved, REPEAT rounds, medians (wall clock, and CPU time of the process,
which load on the machine disturbs less): `python -c pass` with the same interpreter and
virtualenv as govcloud (its site start-up included; `python3` on this machine is pyenv's
shell shim, which adds ~0.1 s of its own), `govcloud --help`, each command's `--help`, and
`govcloud validate` of one sample spec (its spec checks and policies/).
Goals: every `--help` within 10x the bare start; `validate` of one spec within 5x.
It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchenv import compiled, own_environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOVCLOUD = str(ROOT / ".venv" / "bin" / "govcloud")
SPEC = "request_specs/jj-xzspj/zwfw-portal.yaml"
GOAL_HELP, GOAL_VALIDATE = 10.0, 5.0


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    own_environment()
    compiled(ROOT / "provisioner")
    from provisioner.cli import COMMANDS

    arms = {"python -c pass": [str(ROOT / ".venv" / "bin" / "python"), "-c", "pass"],
            "govcloud --help": [GOVCLOUD, "--help"],
            **{f"govcloud {c.name} --help": [GOVCLOUD, c.name, "--help"] for c in COMMANDS},
            "govcloud validate <one spec>": [GOVCLOUD, "validate", SPEC]}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in arms}
    for _ in range(args.repeat):             # interleaved: load on the machine hits every arm alike
        for name, command in arms.items():
            runs[name].append(timed(command))
    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in runs.items()}
    base = "python -c pass"
    print(f"medians of {args.repeat} interleaved runs; {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'':34s} {'wall':>8s} {'ratio':>7s} {'CPU':>8s} {'ratio':>7s}")
    worst_help = (0.0, "")
    for name in arms:
        ratio, cpu_ratio = wall[name] / wall[base], cpu[name] / cpu[base]
        if name.endswith("--help"):
            worst_help = max(worst_help, (ratio, name))
        print(f"{name:34s} {wall[name] * 1000:6.0f} ms {ratio:6.1f}x {cpu[name] * 1000:6.0f} ms {cpu_ratio:6.1f}x")
    validate = wall["govcloud validate <one spec>"] / wall[base]
    print(f"slowest --help: {worst_help[1]} at {worst_help[0]:.1f}x the bare start, goal <= {GOAL_HELP:g}x: "
          f"{'met' if worst_help[0] <= GOAL_HELP else 'MISSED'}")
    print(f"validate of one spec: {validate:.1f}x the bare start, goal <= {GOAL_VALIDATE:g}x: "
          f"{'met' if validate <= GOAL_VALIDATE else 'MISSED'}")


if __name__ == "__main__":
    main()
