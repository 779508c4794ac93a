from __future__ import annotations

import os
from pathlib import Path

import pytest

from provisioner.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_environ(os.environ, ROOT)


@pytest.fixture(scope="session")
def engine_bin(settings: Settings) -> Path:
    assert (settings.engine_bin / "pulumi").exists(), "run scripts/build-engine first"
    return settings.engine_bin


@pytest.fixture(scope="session")
def pulumi_home(settings: Settings) -> Path:
    return settings.pulumi_home
