"""Benchmark: how fast `govcloud` starts, against a bare Python start.

    .venv/bin/python bench/bench_cli.py [--repeat 7]

Whole processes, interleaved, REPEAT rounds, medians (wall clock, and CPU time of the process,
which load on the machine disturbs less): `python -c pass` with the same interpreter and
virtualenv as govcloud (its site start-up included; `python3` on this machine is pyenv's
shell shim, which adds ~0.1 s of its own), `govcloud --help`, each command's `--help`, and
`govcloud validate` of one sample spec (its spec checks and policies/), twice: cold (a first
run: an empty result cache, so it checks everything and writes the entry) and warm (the same
inputs again: the result read back from the cache, provisioner/app/validate_cache.py).
For reference, what the cold run cannot do without: pydantic's import alone (`python -c "from
pydantic import BaseModel"`), and the import of every module `validate` checks with (CHECKED_WITH:
the spec reader, the policy review and the models of every file under policies/, which pydantic
builds as each class is defined; `provisioner.policy` alone loads its names on first use, so its
import is no measure of them), each against the bare start and the 5x budget.
Goals: every `--help` within 10x the bare start; `validate` of one spec within 5x, judged on
the cold run (what CI sees); the warm one is printed beside it. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchenv import compiled, own_environment
from timing import children_cpu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOVCLOUD = str(ROOT / ".venv" / "bin" / "govcloud")
SPEC = "request_specs/jj-xzspj/zwfw-portal.yaml"
GOAL_HELP, GOAL_VALIDATE = 10.0, 5.0
COLD, WARM = "govcloud validate <one spec> cold", "govcloud validate <one spec> warm"
PYDANTIC, MODELS = "import pydantic (BaseModel)", "import the models (policy)"
# What `govcloud validate` imports to check (commands/validate.py `_checked`, policy/store.py's readers).
CHECKED_WITH = ("from provisioner.policy.review import review; from provisioner.policy import department_requests; "
                "from provisioner.policy.store import "
                "Policies; from provisioner.spec import batch; import provisioner.policy.owners, "
                "provisioner.policy.handover, provisioner.lifecycle.classify, provisioner.billing.policy, "
                "provisioner.billing.prices")


def timed(command: list[str], cache: str = "off") -> tuple[float, float]:
    """Wall and CPU seconds of one run of the command (with `govcloud validate`'s cache in `cache`)."""
    env = {**os.environ, "GOVCLOUD_VALIDATE_CACHE": cache}
    before = children_cpu()
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    return wall, children_cpu() - before


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
            COLD: [GOVCLOUD, "validate", SPEC], WARM: [GOVCLOUD, "validate", SPEC],
            PYDANTIC: [str(ROOT / ".venv" / "bin" / "python"), "-c", "from pydantic import BaseModel"],
            MODELS: [str(ROOT / ".venv" / "bin" / "python"), "-c", CHECKED_WITH]}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in arms}
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-cache-") as caches:
        warm = f"{caches}/warm"
        timed(arms[WARM], warm)                  # the entry the warm runs read back
        for round_ in range(args.repeat):        # interleaved: load on the machine hits every arm alike
            for name, command in arms.items():
                cache = warm if name == WARM else f"{caches}/cold-{round_}" if name == COLD else "off"
                runs[name].append(timed(command, cache))
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
    print(f"slowest --help: {worst_help[1]} at {worst_help[0]:.1f}x the bare start, goal <= {GOAL_HELP:g}x: "
          f"{'met' if worst_help[0] <= GOAL_HELP else 'MISSED'}")
    for arm, what in ((COLD, "cold, a first run"), (WARM, "warm, unchanged inputs read back")):
        ratio, cpu_ratio = wall[arm] / wall[base], cpu[arm] / cpu[base]
        print(f"validate of one spec, {what}: {ratio:.1f}x the bare start (CPU {cpu_ratio:.1f}x), "
              f"goal <= {GOAL_VALIDATE:g}x: {'met' if ratio <= GOAL_VALIDATE else 'MISSED'}")
    budget = GOAL_VALIDATE * wall[base]
    for arm in (PYDANTIC, MODELS):
        print(f"{arm}, alone: {wall[arm] * 1000:.0f} ms, {wall[arm] / wall[base]:.1f}x the bare start, "
              f"{wall[arm] / budget:.0%} of the {GOAL_VALIDATE:g}x budget ({budget * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
