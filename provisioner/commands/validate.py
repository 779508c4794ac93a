"""`govcloud validate [PATH...]`: check request specs; every problem with file:line.

Exit 0 when every spec is valid, 1 when any is not, 2 on a usage error (a path
that does not exist; argparse's own errors exit 2 as well). `--format json` is
for CI; `--lang en` switches the messages to English.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from provisioner.settings import Settings
from provisioner.spec import batch

NAME = "validate"
HELP = "check request specs and report every problem with file:line"
USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path,
                        help="spec files or folders (default: all under request_specs/)")
    parser.add_argument("--format", choices=("human", "json"), default="human", help="output format")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")


def run(args: argparse.Namespace, settings: Settings) -> int:
    missing = [path for path in args.paths if not path.exists()]
    if missing:
        for path in missing:
            print(f"govcloud validate: {path}: no such file or folder", file=sys.stderr)
        return USAGE_ERROR
    report = batch.check_files(batch.spec_files(settings.root, args.paths), settings.root)
    print(as_json(report, args.lang) if args.format == "json" else as_text(report, args.lang))
    return 0 if report.ok else 1


def as_text(report: batch.Report, lang: str) -> str:
    lines = [problem.render(lang) for problem in report.problems]
    total, invalid = len(report.files), sum(1 for f in report.files if f.spec is None)
    if lang == "en":
        lines.append(f"checked {total} file(s): all valid" if not invalid else
                     f"checked {total} file(s): {total - invalid} valid, {invalid} invalid "
                     f"with {len(report.problems)} problem(s)")
    else:
        lines.append(f"共检查 {total} 个文件，全部通过" if not invalid else
                     f"共检查 {total} 个文件：{total - invalid} 个通过，{invalid} 个有问题，共 {len(report.problems)} 处")
    return "\n".join(lines)


def as_json(report: batch.Report, lang: str) -> str:
    problems = [{
        "file": p.location.path, "line": p.location.line, "column": p.location.column,
        "rule": p.code, "article": p.article, "message": p.text(lang),
        "message_zh": p.message, "message_en": p.message_en,
    } for p in report.problems]
    files = [{"file": f.path, "ok": f.spec is not None, "problems": len(f.problems)} for f in report.files]
    summary = {"files": len(files), "invalid": sum(1 for f in files if not f["ok"]), "problems": len(problems)}
    return json.dumps({"ok": report.ok, "summary": summary, "files": files, "problems": problems},
                      ensure_ascii=False, indent=2)
