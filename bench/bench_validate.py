"""Benchmark: `govcloud validate` on 1,000 generated request specs, against check-jsonschema.

    .venv/bin/python bench/bench_validate.py [--count 1000] [--repeat 3]

Generates COUNT specs from the samples under request_specs/ (each a distinct
system with its own request number, sizes varied) in a temporary repository
layout, then times:
  - govcloud in process: spec.batch.check_files over all files (best of REPEAT);
  - govcloud as a command: `govcloud validate --format json <folder>`, startup included;
  - the peer: `check-jsonschema --schemafile <exported schema> <files...>`.
The peer checks only what a JSON Schema can say; govcloud also checks the YAML
traps, completeness (art14), the approval chain and the cross-field rules.
Goal: in process at most 1 s, and at most 0.5x the peer. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from provisioner.spec import batch  # noqa: E402
from provisioner.spec.schema import schema_text  # noqa: E402


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


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def in_process(folder: Path, files: list[Path], repeat: int) -> float:
    def run() -> None:
        report = batch.check_files(files, folder)
        assert report.ok, report.problems[:3]
    return min(_timed(run) for _ in range(repeat))


def command(args: list[str], cwd: Path, ok: int = 0) -> float:
    def run() -> None:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
        assert done.returncode == ok, done.stdout[-2000:] + done.stderr[-2000:]
    return _timed(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-") as tmp:
        folder = Path(tmp)
        files = generate(folder, args.count)
        (folder / "Pulumi.yaml").write_text("name: govcloud-bench\n", encoding="utf-8")  # marks the repository root
        schema = folder / "schema.json"
        schema.write_text(schema_text(), encoding="utf-8")
        ours = in_process(folder, files, args.repeat)
        cli = [str(ROOT / ".venv/bin/govcloud"), "validate", "--format", "json", "request_specs"]
        ours_cli = min(command(cli, folder) for _ in range(args.repeat))
        peer_cmd = [str(ROOT / ".venv/bin/check-jsonschema"), "--schemafile", str(schema), *map(str, files)]
        peer = statistics.median(command(peer_cmd, folder) for _ in range(args.repeat))
    print(f"specs: {args.count} (best of {args.repeat}; peer median of {args.repeat})")
    print(f"govcloud validate, in process:   {ours:6.3f} s  ({ours / args.count * 1000:.3f} ms/spec)  goal <= 1 s")
    print(f"govcloud validate, command:      {ours_cli:6.3f} s  (Python start-up and imports included)")
    print(f"check-jsonschema, command:       {peer:6.3f} s")
    print(f"ratio in process / peer:          {ours / peer:5.2f}x  goal <= 0.5x")
    print(f"ratio command / peer:             {ours_cli / peer:5.2f}x")


if __name__ == "__main__":
    main()
