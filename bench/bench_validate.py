"""Benchmark: `govcloud validate` of 1,000 generated request specs with policy findings, against a fair peer.

    .venv/bin/python bench/bench_validate.py [--count 1000] [--repeat 5] [--check-jsonschema]

Generates COUNT specs from the samples under request_specs/ (each a distinct system with its
own request number, sizes varied; ~125 per sample department, so the department caps of
policies/ fire on nearly every file) in a temporary repository with a copy of policies/.
Whole process against whole process, interleaved, REPEAT rounds, medians:
  - govcloud: `govcloud validate --format json request_specs` (spec checks, then policies/;
    the mandatory and expert-review findings located at file:line), cold: each run with an
    empty result cache (a first run, as CI's: it checks everything, then writes the entry);
  - govcloud warm: the same command again on unchanged files, its result read back from the
    cache (provisioner/app/validate_cache.py: every file hashed, no model imported);
  - the fair peer: bench/peer_jsonschema.py, jsonschema over PyYAML's C loader (dates kept
    as strings) with the schema govcloud exports, on the same files;
  - for reference: Python's own start (`python -c pass`), govcloud's spec checks and
    policies in process (what the command adds is Python's start and its imports), and the
    floor: the same files only read with the peer's loader, checking nothing
    (`peer_jsonschema.py --parse-only`), under any checker that reads them with PyYAML.
With --check-jsonschema also check-jsonschema on the same files, once (the peer this bench
used before: most of its time is ruamel.yaml's pure-Python parser, so it flattered govcloud).
The peer checks what a JSON Schema can say; govcloud also checks the YAML traps, completeness
(art14), the approval chain, cross-field rules, file placement and the office's policies.
Goals: the command <= 1 s and <= 0.3x the fair peer, judged on the cold run; the warm one is
printed beside it. The peer is one process on one core and keeps no cache. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
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
PYTHON = ROOT / ".venv" / "bin" / "python"
GOAL_SECONDS, GOAL_RATIO = 1.0, 0.3


def generate(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    """COUNT valid specs at <folder>/request_specs/<department>/<system>.yaml."""
    rng = random.Random(seed)
    samples = sorted((ROOT / "request_specs").glob("*/*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in samples]
    files = []
    for index in range(count):
        sample, text = samples[index % len(samples)], texts[index % len(samples)]
        system = f"{sample.stem}-{index:04d}"
        text = re.sub(r"(?m)^  system: \S+", f"  system: {system}", text)
        text = re.sub(r"(?m)^  request_id: ([A-Z]+)-2026-\d+", rf"  request_id: \g<1>-2026-{index:04d}", text)
        text = re.sub(r"(?m)^      count: \d+", lambda _: f"      count: {rng.randint(1, 8)}", text)
        text = re.sub(r"(?m)^(\s+- size_gb: )\d+", lambda m: f"{m.group(1)}{rng.choice([50, 100, 200, 500])}", text)
        path = folder / "request_specs" / sample.parent.name / f"{system}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def repository(folder: Path, count: int) -> list[Path]:
    """A scratch repository: Pulumi.yaml (marks the root), policies/, COUNT specs."""
    files = generate(folder, count)
    (folder / "Pulumi.yaml").write_text("name: govcloud-bench\n", encoding="utf-8")
    shutil.copytree(ROOT / "policies", folder / "policies")
    return files


CPU: dict[str, list[float]] = {}       # CPU seconds of each arm's processes: load disturbs them less


def run(args: list[str], cwd: Path, ok: tuple[int, ...] = (0,), arm: str = "", cache: str = "off") -> tuple[float, str]:
    env = {**os.environ, "GOVCLOUD_VALIDATE_CACHE": cache}
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    CPU.setdefault(arm, []).append(children_cpu() - cpu)
    if done.returncode not in ok:
        sys.exit(f"{args[0]} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed, done.stdout


_IN_PROCESS = """
import sys, time
from pathlib import Path
from provisioner.commands.gctune import no_collections
from provisioner.policy import Severity, department_requests, today_in_shanghai
from provisioner.policy.review import review
from provisioner.spec import batch
from provisioner.policy import Policies
folder = Path(sys.argv[1])
start = time.perf_counter()
with no_collections():              # as the command does
    report = batch.check_files(batch.spec_files(folder), folder)
    review(report, Policies(folder).rule_set, lambda code: department_requests(folder, code), today_in_shanghai(),
           (Severity.MANDATORY, Severity.EXPERT_REVIEW))
print(time.perf_counter() - start)
"""


def in_process(folder: Path) -> float:
    """The command's own work without Python's start and imports (specs, then policies), timed
    inside a fresh process like the command's: the bench's own process holds more objects."""
    return float(run([str(PYTHON), "-c", _IN_PROCESS, str(folder)], folder)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check-jsonschema", action="store_true", help="also time check-jsonschema, once")
    args = parser.parse_args()
    own_environment()            # GOVCLOUD_NOW, a ledger or cloud from the shell must not change the run
    compiled(ROOT / "provisioner")
    from provisioner.spec.schema import schema_text

    with tempfile.TemporaryDirectory(prefix="govcloud-bench-") as tmp:
        folder = Path(tmp)
        files = repository(folder, args.count)
        schema = folder / "schema.json"
        schema.write_text(schema_text(), encoding="utf-8")
        command = [str(ROOT / ".venv/bin/govcloud"), "validate", "--format", "json", "request_specs"]
        arms = {
            "python": ([str(PYTHON), "-c", "pass"], (0,)),
            "govcloud": (command, (0, 1)),
            "warm": (command, (0, 1)),
            "peer": ([str(PYTHON), str(ROOT / "bench" / "peer_jsonschema.py"), str(schema), *map(str, files)], (0,)),
            "floor": ([str(PYTHON), str(ROOT / "bench" / "peer_jsonschema.py"), "--parse-only", *map(str, files)], (0,)),
        }
        times: dict[str, list[float]] = {name: [] for name in arms}
        outputs: dict[str, str] = {}
        inside: list[float] = []
        caches = folder / "caches"             # outside request_specs/ and policies/: not an input
        run(command, folder, (0, 1), arm="priming", cache=str(caches / "warm"))
        for round_ in range(args.repeat):             # interleaved: load on the machine hits every arm alike
            for name, (command, ok) in arms.items():
                cache = {"govcloud": str(caches / f"cold-{round_}"), "warm": str(caches / "warm")}.get(name, "off")
                elapsed, outputs[name] = run(command, folder, ok, arm=name, cache=cache)
                times[name].append(elapsed)
            inside.append(in_process(folder))
        if outputs["warm"] != outputs["govcloud"]:
            sys.exit("the warm run printed other than the cold one")
        check_jsonschema = None
        if args.check_jsonschema:
            check_jsonschema = run([str(ROOT / ".venv/bin/check-jsonschema"), "--schemafile", str(schema),
                                    *map(str, files)], folder)[0]
    report(args, times, inside, json.loads(outputs["govcloud"]), check_jsonschema)


def report(args: argparse.Namespace, times: dict[str, list[float]], inside: list[float], result: dict,
           check_jsonschema: float | None) -> None:
    med = {name: statistics.median(values) for name, values in times.items()}
    spread = {name: f"{min(values):.3f}-{max(values):.3f}" for name, values in times.items()}
    policy = result["policy"] or {}
    print(f"specs: {args.count}, {result['summary']['problems']} policy findings located "
          f"({policy.get('mandatory', 0)} mandatory, {policy.get('expert-review', 0)} expert review); "
          f"medians of {args.repeat} interleaved runs (min-max)")
    print(f"python -c pass:                         {med['python']:6.3f} s  ({spread['python']})")
    print(f"govcloud validate, command, cold:       {med['govcloud']:6.3f} s  ({spread['govcloud']})  "
          f"goal <= {GOAL_SECONDS:g} s {'met' if med['govcloud'] <= GOAL_SECONDS else 'MISSED'}")
    print(f"govcloud validate, command, warm:       {med['warm']:6.3f} s  ({spread['warm']})  "
          f"goal <= {GOAL_SECONDS:g} s {'met' if med['warm'] <= GOAL_SECONDS else 'MISSED'} "
          f"(unchanged inputs: the result read back from the cache)")
    print(f"  of which (cold) in process, specs + policies: {statistics.median(inside):6.3f} s; "
          f"start-up and imports {med['govcloud'] - statistics.median(inside):.3f} s")
    print(f"peer: jsonschema + PyYAML CSafeLoader:  {med['peer']:6.3f} s  ({spread['peer']})")
    floor = med["floor"] / med["peer"]
    print(f"floor: the files only read (PyYAML CSafeLoader, no checks): {med['floor']:6.3f} s  ({spread['floor']}), "
          f"{floor:.2f}x the peer: {'below' if floor < GOAL_RATIO else 'AT OR ABOVE'} the {GOAL_RATIO:g}x goal, "
          f"leaving {max(GOAL_RATIO - floor, 0) * med['peer']:.3f} s for imports and every check")
    cpu = {name: statistics.median(CPU[name]) for name in ("govcloud", "warm", "peer")}
    for arm, what in (("govcloud", "cold"), ("warm", "warm")):
        ratio = med[arm] / med["peer"]
        print(f"ratio govcloud {what} / peer, whole processes: {ratio:6.2f}x  goal <= {GOAL_RATIO:g}x "
              f"{'met' if ratio <= GOAL_RATIO else 'MISSED'}")
        print(f"  in CPU time: govcloud {what} {cpu[arm]:.3f} s, peer {cpu['peer']:.3f} s, "
              f"ratio {cpu[arm] / cpu['peer']:.2f}x")
    if check_jsonschema is not None:
        print(f"check-jsonschema (reference, 1 run):    {check_jsonschema:6.3f} s; "
              f"govcloud / check-jsonschema {med['govcloud'] / check_jsonschema:.2f}x")


if __name__ == "__main__":
    main()
