"""Pulumi's full output of one govcloud run, kept in a file; a failure told in one line.

A failed `pulumi up` prints kilobytes of progress and provider tracebacks. govcloud
writes every line each pulumi process prints to one file per run
(`$GOVCLOUD_CACHE/logs/<UTC time>-<pid>.log`, each line prefixed with its stack and
operation), and tells a failure as one line: which resource, doing what, and the
cloud's own words, from the run's engine events.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from provisioner.naming import resource_name

KEEP = 100                     # run logs kept; older ones are removed as new ones start
REASON_CHARS = 240


class RunLog:
    """One file for the run, opened at the first line written."""

    def __init__(self, folder: Path) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.folder = folder
        self.path = folder / f"{stamp}-{os.getpid()}.log"
        self._file: Any = None
        self._lock = threading.Lock()

    def line(self, stack: str, operation: str, text: str) -> None:
        with self._lock:
            if self._file is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                _prune(self.folder)
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(f"{stack} {operation}: {text}\n")
            self._file.flush()


def _prune(folder: Path) -> None:
    logs = sorted(folder.glob("*.log"))
    for old in logs[:max(0, len(logs) - KEEP + 1)]:
        old.unlink(missing_ok=True)


def failure_reason(events: Iterable[Any], stderr: str) -> str:
    """One line: the first resource that failed, what was being done to it, and why.

    `events` are the run's engine events (pulumi.automation EngineEvent); without an error
    diagnostic among them (pulumi stopped before its engine ran), the first `error:` line
    pulumi printed."""
    events = list(events)
    ops = {}
    for event in events:
        if event.resource_pre_event is not None:
            meta = event.resource_pre_event.metadata
            ops[meta.urn] = str(meta.op.value)
    general = ""
    for event in events:
        diag = event.diagnostic_event
        if diag is None or diag.severity != "error":
            continue
        message = short(diag.message)
        if diag.urn:
            name = resource_name(diag.urn)
            return f"{ops.get(diag.urn, 'step')} {name}: {message}"
        general = general or message
    if general:
        return general
    for line in stderr.splitlines():
        if line.strip().startswith("error:"):
            return short(line)
    lines = [line for line in stderr.splitlines() if line.strip()]
    return short(lines[-1]) if lines else "pulumi failed without saying why"


_NOISE = re.compile(r"(?:^|\s)(?:error:|\d+ errors? occurred:|\*\s)|sdk-v2/provider2\.go:\d+:\s*")


def short(message: str) -> str:
    """The cloud's own words from a provider error, on one line, cut at REASON_CHARS."""
    text = re.sub(r"\x1b\[[0-9;]*m|<\{%[^%]*%\}>", "", message)
    inner = _api_message(text)
    text = inner or _NOISE.sub(" ", text)
    text = " ".join(text.split())
    return text if len(text) <= REASON_CHARS else text[:REASON_CHARS - 1] + "…"


def _api_message(text: str) -> str:
    """`Expected HTTP response code [...] when accessing [POST url], but got 409 instead: {json}`:
    the status, the url and the JSON's own message."""
    match = re.search(r"when accessing \[(\w+) ([^\]]+)\], but got (\d+) instead:?\s*(\{.*\})?", text, re.S)
    if not match:
        return ""
    method, url, status, body = match.groups()
    said = ""
    if body:
        try:
            said = _deepest_message(json.loads(body))
        except ValueError:
            said = body
    return f"{status} {said} ({method} {url})".replace("  ", " ")


def _deepest_message(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("message", "NeutronError", "conflictingRequest", "badRequest", "itemNotFound", "error",
                    "forbidden", "overLimit"):
            if key in data:
                found = _deepest_message(data[key])
                if found:
                    return found
        for value in data.values():
            found = _deepest_message(value)
            if found:
                return found
    if isinstance(data, str):
        return data
    return ""
