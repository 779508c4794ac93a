"""`govcloud codeowners`: write CODEOWNERS from policies/owners.yaml and the department folders.

`--check` writes nothing and exits 1 when the file is not current (for CI and tests).
GitLab's format (sections: each department, its level-2 parent and the office approve
separately) is the default; `--format github` for GitHub's simpler one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from provisioner.settings import Settings

NAME = "codeowners"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("gitlab", "github"), default="gitlab")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write (default: CODEOWNERS, or .github/CODEOWNERS for --format github)")
    parser.add_argument("--check", action="store_true", help="only check that the file is current (exit 1 if not)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.commands.generated import write_or_check      # here, not above: not for `--help`
    from provisioner.commands.messages import WORDS
    from provisioner.gitops.owners import codeowners, department_folders

    target = args.output or Path("CODEOWNERS" if args.format == "gitlab" else ".github/CODEOWNERS")
    path = target if target.is_absolute() else settings.root / target
    shown = path.relative_to(settings.root).as_posix() if path.is_relative_to(settings.root) else str(path)
    text = codeowners(settings.policies.owners, department_folders(settings.root), args.format, shown)
    return write_or_check(path, shown, text, check=args.check, command=NAME, fix=WORDS("codeowners-fix"),
                          lang=args.lang)
