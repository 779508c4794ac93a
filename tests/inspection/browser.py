"""Headless Chromium for the report tests: the DOM it built from a page, and what its console said."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.billing.conftest import CHROMIUM


def dom_and_console(page: Path, profile: Path) -> tuple[str, list[str]]:
    """Console messages come on stderr as `...:CONSOLE:...` lines with --enable-logging."""
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                           "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
                          check=True, capture_output=True, text=True, timeout=120)
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
