"""provisioner.policy's names loaded on first use (PEP 562): each is the same object whatever was imported
before it. A name that is also a submodule's (policy/review.py) would be that module once the submodule was
imported (the import system sets it on the package), so `govcloud policy check` called a module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)


def test_every_lazy_name_is_what_its_module_defines_whatever_was_imported_first() -> None:
    done = _fresh(
        "import importlib, pkgutil\n"
        "import provisioner.policy as policy\n"
        "for info in pkgutil.walk_packages(policy.__path__, 'provisioner.policy.'):\n"
        "    importlib.import_module(info.name)\n"          # every submodule first, as a command may
        "wrong = [name for name in policy.__all__\n"
        "         if getattr(policy, name) is not getattr(importlib.import_module(policy._WHERE[name]), name)]\n"
        "print(wrong)\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_govcloud_policy_check_runs_in_a_process_of_its_own() -> None:
    done = _fresh("import sys\nfrom provisioner.cli import main\n"
                  "sys.exit(main(['policy', 'check', '--lang', 'en', 'request_specs/jj-xzspj/zwfw-portal.yaml']))")
    assert done.returncode == 0, done.stdout + done.stderr
