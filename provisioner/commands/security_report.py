"""`govcloud security-report`: the office's security inspection of the running cloud (art20-21, art24).

Per system: what its elastic IPs expose to the internet and on which ports, its MLPS
level against the security services it ordered, the backups it asked for and each
volume's newest verified backup, its servers' images and their age, its security
group rules against its request; per department: its account's credentials. Read
from the cloud as the operator (changes nothing), judged against the requests under
request_specs/ and policies/ (inspection.yaml, security-baseline.yaml).

Exit status: 0 no finding at or above --fail-on (mandatory by default); 1 findings at
or above it (or a request or setting is wrong); 2 the cloud could not be reached.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from provisioner.commands.messages import WORDS
from provisioner.errors import ConfigError, SpecError
from provisioner.settings import Settings

NAME = "security-report"
# policy.model.Severity's values, strongest first (tested): importing it loads every model, which
# `govcloud security-report --help` does not need.
SEVERITIES = ("mandatory", "expert-review", "advisory")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--department", help="only this department's systems and account (its code, e.g. jj-xzspj)")
    parser.add_argument("--format", choices=("html", "json"), default="html", help="html for people (default), json")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("-o", "--output", type=Path, help="write the report here (default: standard output)")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=SEVERITIES[0],
                        help="exit 1 when a finding is at or above this severity (default: mandatory)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here, not at the top: `govcloud security-report --help` needs none of it.
    from provisioner.cloud.inventory import read_cloud
    from provisioner.commands.cloud_reads import connect
    from provisioner.inspection.checks import inspect
    from provisioner.inspection.render import as_json, html
    from provisioner.policy import Severity
    from provisioner.spec import formats

    if args.department is not None and not re.match(formats.CODE, args.department):
        raise ConfigError(WORDS("not-a-department-code", code=args.department))
    policies = settings.policies.rule_set
    requests = _requests(settings.root, args.department)
    if not settings.clouds_file.exists():
        raise ConfigError(WORDS("no-clouds-yaml", path=settings.clouds_file))
    facts = read_cloud(lambda: connect(settings))
    report = inspect(requests, facts, policies, settings.now(), settings.cloud, args.department)
    if args.department and not report.systems and not report.departments:
        raise ConfigError(WORDS("no-department", department=args.department))
    text = html(report, args.lang) if args.format == "html" else as_json(report, args.lang)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    threshold = Severity(args.fail_on)
    failing = report.failing(threshold)
    counts = ", ".join(f"{s.value} {report.count(s)}" for s in Severity)
    where = f" -> {args.output}" if args.output else ""
    print(WORDS.say("security-summary", args.lang, systems=len(report.systems), departments=len(report.departments),
                    counts=counts, where=where), file=sys.stderr)
    return 1 if failing else 0


def _requests(root: Path, department: str | None) -> list:
    """Every request (of the department), read with its text so findings can be located."""
    from provisioner.inspection.checks import Request
    from provisioner.spec.batch import check_files, spec_files
    from provisioner.spec.placement import SPEC_FOLDER

    folder = root / SPEC_FOLDER / department if department else root / SPEC_FOLDER
    checked = check_files(spec_files(root, [folder]) if folder.is_dir() else [], root)
    if not checked.ok:
        raise SpecError(checked.problems)
    return [Request(c.path, c.text, c.spec) for c in checked.files if c.spec is not None]
