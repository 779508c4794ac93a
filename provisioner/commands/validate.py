"""`govcloud validate [PATH...]`: check request specs and the office's policies; every problem with file:line.

A spec is checked first (provisioner.spec), then, when valid, against policies/
(provisioner.policy): mandatory findings and those calling an expert review
(art15) are listed; advisories too with `--advisory` (`govcloud policy check`
lists everything). Without a policies/ folder only the spec checks run, with a
warning on stderr.

Exit 0 when every spec is valid and breaks no mandatory rule (an expert review
may still be needed: the output says so), 1 otherwise, 2 on a usage error (a
path that does not exist; argparse's own errors exit 2 as well). `--format
json` is for CI; `--lang en` switches the messages to English.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.commands.messages import WORDS
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported by run(): `--help` loads neither the spec models nor the policies
    from datetime import date

    from provisioner.app import validate_cache
    from provisioner.errors import Problem
    from provisioner.policy import Review
    from provisioner.spec import batch

NAME = "validate"
USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path,
                        help="spec files or folders (default: all under request_specs/)")
    parser.add_argument("--format", choices=("human", "json"), default="human", help="output format")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
    parser.add_argument("--advisory", action="store_true", help="also list advisory policy findings")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every file again, without earlier runs' results (GOVCLOUD_VALIDATE_CACHE=off)")


def missing_paths(paths: list[Path], command: str, lang: str) -> bool:
    """Say which of the paths given do not exist (a usage error: the caller exits USAGE_ERROR)."""
    missing = [path for path in paths if not path.exists()]
    for path in missing:
        print(f"govcloud {command}: {WORDS.say('no-such-path', lang, path=path)}", file=sys.stderr)
    return bool(missing)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if missing_paths(args.paths, NAME, args.lang):
        return USAGE_ERROR
    from provisioner.app import validate_cache
    from provisioner.clock import today
    from provisioner.commands.gctune import no_collections

    day = today(settings.clock)      # the day policies are judged on (Shanghai), one for the key and the check
    flags = tuple(sorted(f"{name}={value!r}" for name, value in vars(args).items()
                         if name not in ("run", "paths", "no_cache")))
    run_ = validate_cache.Run(settings.root, tuple(args.paths), flags, day)
    folder = None if args.no_cache else settings.validate_cache
    with no_collections():          # the imports too: building the models alone made ~70 young collections
        outcome = validate_cache.outcome(folder, run_, lambda: _checked(args, settings, day))
        outcome.show()
    return outcome.code


def _checked(args: argparse.Namespace, settings: Settings, day: date) -> validate_cache.Outcome:
    from provisioner.app.validate_cache import Outcome
    from provisioner.policy import PolicyConfigError, Severity, department_requests
    from provisioner.policy.review import review
    from provisioner.spec import batch

    root = settings.root
    warning = ""
    report = batch.check_files(batch.spec_files(root, args.paths), root)
    policy = None
    if settings.policies.exists():
        problems = settings.policies.problems()     # every file under policies/, not only the rule set
        if problems:
            raise PolicyConfigError(problems)
        show = tuple(Severity) if args.advisory else (Severity.MANDATORY, Severity.EXPERT_REVIEW)
        policy = review(report, settings.policies.rule_set, lambda code: department_requests(root, code),
                        day, show)
    else:
        warning = f"govcloud validate: {WORDS.say('no-policies', args.lang, root=root)}"
    output = as_json(report, args.lang, policy) if args.format == "json" else as_text(report, args.lang, policy)
    ok = policy.ok if policy is not None else report.ok
    return Outcome(output, warning, 0 if ok else 1)


def _lines(report: batch.Report, policy: Review | None, lang: str) -> list[str]:
    if policy is None:
        return [problem.render(lang) for problem in report.problems]
    lines = []
    for reviewed in policy.files:
        lines += [problem.render(lang) for problem in reviewed.problems]
        lines += [finding.render(lang) for finding in reviewed.findings]
    return lines


def as_text(report: batch.Report, lang: str, policy: Review | None = None) -> str:
    from provisioner.policy import Severity
    from provisioner.policy.report import summary

    lines = _lines(report, policy, lang)
    total = len(report.files)
    invalid = sum(1 for f in policy.files if not f.ok) if policy else sum(1 for f in report.files if f.spec is None)
    blocking = len(report.problems) + (policy.count(Severity.MANDATORY) if policy else 0)
    lines.append(WORDS.say("validate-all-valid", lang, total=total) if not invalid else
                 WORDS.say("validate-some-invalid", lang, total=total, valid=total - invalid, invalid=invalid,
                           problems=blocking))
    if policy is not None and policy.expert_review:
        lines += summary(policy, lang)[1:]
    return "\n".join(lines)


def as_json(report: batch.Report, lang: str, policy: Review | None = None) -> str:
    import json

    from provisioner.policy import Severity

    def problem(p: Problem) -> dict[str, object]:
        return {"file": p.location.path, "line": p.location.line, "column": p.location.column,
                "rule": p.code, "article": p.article, "severity": "mandatory", "message": p.text(lang),
                "message_zh": p.message, "message_en": p.message_en}

    if policy is None:
        problems = [problem(p) for p in report.problems]
        files = [{"file": f.path, "ok": f.spec is not None, "problems": len(f.problems)} for f in report.files]
    else:
        problems = [item for f in policy.files
                    for item in [problem(p) for p in f.problems] + [x.as_dict(lang) for x in f.findings]]
        files = [{"file": f.path, "ok": f.ok, "problems": len(f.problems) + len(f.findings),
                  "expert_review": f.needs_expert_review} for f in policy.files]
    summary_ = {"files": len(files), "invalid": sum(1 for f in files if not f["ok"]), "problems": len(problems)}
    document = {"ok": all(f["ok"] for f in files), "summary": summary_, "files": files, "problems": problems,
                "policy": None if policy is None else {
                    "expert_review": policy.expert_review, **{s.value: policy.count(s) for s in Severity}}}
    return json.dumps(document, ensure_ascii=False, indent=2)
