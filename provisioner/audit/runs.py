"""Each run of an audited command, in the audit log (art26): opened before it does anything,
closed when it ends.

The start record (`command.<name>.start`: arguments, host, process) is committed before
the command runs, so a run that is killed, loses its power or hangs still shows: started,
never closed. The close record (`command.<name>`: arguments, exit status, and the start
record's number) is written however the command ends short of being killed.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timezone
from typing import Any

from provisioner.audit import log
from provisioner.audit.chain import AuditRecord
from provisioner.ledger import Ledger

START_SUFFIX = ".start"


def start_action(name: str) -> str:
    return f"command.{name}{START_SUFFIX}"


def close_action(name: str) -> str:
    return f"command.{name}"


class CommandRun:
    """One run of a command: its start record is written by `open`, its close by `close`."""

    def __init__(self, ledger: Ledger, actor: str, name: str, arguments: dict[str, Any], started: int) -> None:
        self._ledger, self._actor, self._name, self._arguments = ledger, actor, name, arguments
        self.started = started          # the start record's sequence number

    @classmethod
    def open(cls, ledger_url: str, actor: str, name: str, arguments: dict[str, Any]) -> CommandRun:
        ledger = Ledger.open(ledger_url)
        try:
            with ledger.transaction() as conn:
                record = log.append(conn, actor=actor, action=start_action(name), subject=name,
                                    at=datetime.now(timezone.utc),
                                    detail={"args": arguments, "host": socket.gethostname(), "pid": os.getpid()})
        except BaseException:
            ledger.close()
            raise
        return cls(ledger, actor, name, arguments, record.seq)

    def close(self, status: int | str) -> None:
        try:
            with self._ledger.transaction() as conn:
                log.append(conn, actor=self._actor, action=close_action(self._name), subject=self._name,
                           at=datetime.now(timezone.utc),
                           detail={"args": self._arguments, "status": status, "started": self.started})
        finally:
            self._ledger.close()


def arguments_of(values: dict[str, Any]) -> dict[str, Any]:
    """A command's parsed arguments as the record keeps them (plain values; others as text)."""
    return {key: (value if isinstance(value, (int, float, bool, type(None))) else str(value))
            for key, value in values.items() if key != "run" and not callable(value)}


def unclosed(records: list[AuditRecord]) -> set[int]:
    """Sequence numbers of start records among `records` that no later one closes."""
    closed = {r.detail.get("started") for r in records
              if r.action.startswith("command.") and not r.action.endswith(START_SUFFIX)}
    return {r.seq for r in records if r.action.startswith("command.") and r.action.endswith(START_SUFFIX)
            and r.seq not in closed}
