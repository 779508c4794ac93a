"""A scratch Pulumi project shaped like govcloud's repository, whose program is the test's own."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pulumi_project(root: Path, program: str, stack: str, kind: str) -> Path:
    """Pulumi.yaml (Python, in govcloud's .venv), program/__main__.py, empty request_specs/, and the
    stack file of `stack` (govcloud's language host hands an empty config to the program as
    null: every stack gets one key)."""
    (root / "program").mkdir(parents=True)
    (root / "request_specs").mkdir()
    (root / "stacks").mkdir()
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / "Pulumi.yaml").write_text("name: govcloud\nruntime:\n  name: python\n  options:\n    virtualenv: .venv\n"
                                      "main: program\nstackConfigDir: stacks\n", encoding="utf-8")
    (root / "program" / "__main__.py").write_text(program, encoding="utf-8")
    (root / "stacks" / f"Pulumi.{stack}.yaml").write_text(f"config:\n  govcloud:kind: {kind}\n", encoding="utf-8")
    return root


def engine_env(top: Path, engine_bin: Path, pulumi_home: Path, clouds: str = "clouds: {}\n") -> dict[str, str]:
    """The environment of a govcloud that runs the built engine on a state, cache and passphrase of
    its own under `top` (written here, with `clouds` as its clouds.yaml): the process's environment
    with those settings over it."""
    (top / "passphrase").write_text("test-passphrase")
    (top / "clouds.yaml").write_text(clouds)
    (top / "state").mkdir()
    return {**os.environ, "GOVCLOUD_ENGINE_BIN": str(engine_bin), "PULUMI_HOME": str(pulumi_home),
            "GOVCLOUD_STATE_URL": (top / "state").as_uri(), "GOVCLOUD_CACHE": str(top / "cache"),
            "GOVCLOUD_PASSPHRASE_FILE": str(top / "passphrase"), "OS_CLIENT_CONFIG_FILE": str(top / "clouds.yaml")}
