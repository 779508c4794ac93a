"""The layers (ARCHITECTURE.md) hold: import-linter's contracts in pyproject.toml are kept,
and each of them breaks when an arrow of its kind is planted (a contract that cannot fail
checks nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")

# One import per contract, each against the rule that contract states.
PLANTED = {
    "ledger/_planted_upward.py": "import provisioner.app.apply\n",                 # layers
    "spec/_planted_impure.py": "import sqlalchemy\n",                              # pure-core
    "cloud/_planted_sideways.py": "import provisioner.ledger.store\n",             # adapters
    "billing/_planted_command.py": "import provisioner.commands.bill\n",           # commands
    "allocation/_planted_loop.py": "import provisioner.policy.model\n",            # acyclic (policy imports allocation)
}
CONTRACTS = {
    "Layers: the CLI over commands over use cases over adapters over the pure core",
    "The pure core imports no adapter and none of SQLAlchemy, openstacksdk, Pulumi, boto3",
    "Adapters do not import each other",
    "Only the CLI imports commands",
    "No import cycle between the siblings of any package",
}


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    # The package is found on sys.path: the copy under `root` comes before the installed one.
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "400"}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def _status(output: str, contract: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith(contract))
    return "KEPT" if " KEPT" in line else "BROKEN"


def test_the_contracts_are_kept() -> None:
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert {contract: _status(run.stdout, contract) for contract in CONTRACTS} == dict.fromkeys(CONTRACTS, "KEPT")


def test_each_contract_breaks_on_a_planted_arrow(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "provisioner", tmp_path / "provisioner", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for path, line in PLANTED.items():
        (tmp_path / "provisioner" / path).write_text(line, encoding="utf-8")
    run = _lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert {contract: _status(run.stdout, contract) for contract in CONTRACTS} == dict.fromkeys(CONTRACTS, "BROKEN")
