"""Benchmark: policy evaluation of the 1,000 generated request specs of bench_validate.py.

    .venv/bin/python bench/bench_policy.py [--count 1000] [--repeat 3]

The same specs as bench/bench_validate.py (its generator, its seed), in a
temporary repository with a copy of policies/, timed in process, best of REPEAT:
  - baseline: the spec checks alone (spec.batch.check_files), as bench_validate measures them;
  - policies alone: every rule on the 1,000 parsed specs, department totals included, nothing located;
  - validate: spec checks + policies, locating what `govcloud validate` shows (mandatory, expert review);
  - report: the same, locating every finding (`govcloud policy report`).
Two layouts of the same specs: "crowded", bench_validate's own (the samples' 8
department folders, about 125 systems each, so department caps fire on nearly
every file: a worst case, with findings to locate everywhere), and "spread"
(4 systems per department, closer to a real repository). Goal: policies alone at
most 1 s; each measurement's ratio to the baseline of the same run is printed.
It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_validate import generate  # noqa: E402
from timing import best  # noqa: E402

from provisioner.policy import Severity, department_requests  # noqa: E402
from provisioner.policy.review import review  # noqa: E402
from provisioner.spec import batch  # noqa: E402
from provisioner.policy import Policies  # noqa: E402
from tests.agreements import file_agreement  # noqa: E402

TODAY = date(2026, 11, 27)
SAMPLE_DEPARTMENTS = sorted({p.parent.name for p in (ROOT / "request_specs").glob("*/*.yaml")})



def spread(root: Path, files: list[Path], per_department: int = 4) -> list[Path]:
    """The same specs, moved into departments of PER_DEPARTMENT systems each (code and folder renamed)."""
    moved = []
    for index, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        # The generator deals the samples out in turn: the sample's own count says which of its copies this is.
        copy = index // len(SAMPLE_DEPARTMENTS)
        department = f"{path.parent.name}-{copy // per_department:03d}"
        text = re.sub(r"(?m)^  department: \S+", f"  department: {department}", text, count=1)
        target = root / "request_specs" / department / path.name
        if not target.parent.exists():           # a new department files its service agreement (art22)
            file_agreement(root, department)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        path.unlink()
        moved.append(target)
    return moved


def measure(root: Path, files: list[Path], repeat: int) -> dict[str, object]:
    policies = Policies(root).rule_set
    requests = partial(department_requests, root)
    spec_time, report = best(repeat, lambda: batch.check_files(files, root))
    assert report.ok, report.problems[:3]  # type: ignore[attr-defined]
    alone, _ = best(repeat, lambda: review(report, policies, requests, TODAY, show=()))  # type: ignore[arg-type]
    shown = (Severity.MANDATORY, Severity.EXPERT_REVIEW)
    both, checked = best(repeat, lambda: review(batch.check_files(files, root), policies, requests, TODAY, shown))
    full, everything = best(repeat, lambda: review(batch.check_files(files, root), policies, requests, TODAY))
    return {"spec": spec_time, "alone": alone, "both": both, "full": full, "shown": checked,
            "all": everything, "rules": len(policies.rules)}


def show(title: str, count: int, m: dict) -> None:
    everything, spec_time, alone = m["all"], m["spec"], m["alone"]
    counts = ", ".join(f"{everything.count(s)} {s.value}" for s in Severity)
    print(f"{title}: {count} specs in {len(everything.departments)} departments; {m['rules']} rules; "
          f"findings: {counts}")
    print(f"  baseline: spec checks alone:          {spec_time:6.3f} s  ({spec_time / count * 1000:.3f} ms/spec)")
    print(f"  policies alone (nothing located):     {alone:6.3f} s  ({alone / count * 1000:.3f} ms/spec)  "
          f"goal <= 1 s  {'OK' if alone <= 1 else 'MISSED'}")
    print(f"  validate: specs + policies, located:  {m['both']:6.3f} s  ({len(m['shown'].findings)} findings shown)")
    print(f"  report: specs + every finding:        {m['full']:6.3f} s  ({len(everything.findings)} findings)")
    print(f"  ratio policies alone / baseline:       {alone / spec_time:5.2f}x")
    print(f"  ratio validate / baseline:             {m['both'] / spec_time:5.2f}x")
    print(f"  ratio report / baseline:               {m['full'] / spec_time:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for title, regroup in (("crowded (bench_validate's layout, ~125 systems per department)", False),
                           ("spread (4 systems per department)", True)):
        with tempfile.TemporaryDirectory(prefix="govcloud-bench-policy-") as tmp:
            root = Path(tmp)
            shutil.copytree(ROOT / "policies", root / "policies")
            files = generate(root, args.count)
            if regroup:
                files = spread(root, files)
            (root / "Pulumi.yaml").write_text("name: govcloud-bench\n", encoding="utf-8")
            show(title, args.count, measure(root, files, args.repeat))
    print(f"(best of {args.repeat} each)")


if __name__ == "__main__":
    main()
