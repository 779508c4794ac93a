"""The `pulumi` processes govcloud starts: they never outlive it.

A `pulumi up` left running after its govcloud died keeps the stack locked and its
plugins alive, and nobody reads what it does. So every pulumi process is started

* with the kernel's parent-death signal (`setpriv --pdeathsig KILL`, util-linux): when
  govcloud dies, even by SIGKILL, the kernel kills its pulumi; pulumi's plugins
  (govcloud's language host and provider plugin) notice their engine is gone and exit
  by themselves (engine/pulumi/cmd/pulumi-language-python, engine/openstack);
* in its own session, so a Ctrl-C at the terminal reaches govcloud only, and govcloud
  decides: on SIGINT or SIGTERM, `end_all` asks every pulumi to stop (two SIGTERMs:
  Pulumi's "cancel", then "terminate now", which closes its plugins and releases the
  stack's lock) and kills what is still running after END_GRACE seconds.

What a killed run leaves (a lock, pending operations) is taken over by the next run
(provisioner/stacks/engine.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from functools import cache

from pulumi.automation import CommandResult, PulumiCommand
from pulumi.automation.errors import create_command_error

from provisioner.errors import EngineError
from provisioner.stacks.messages import WORDS

END_GRACE = 5.0            # seconds a pulumi gets to stop after govcloud was told to

_running: set[subprocess.Popen[str]] = set()
_lock = threading.Lock()
_ending = threading.Event()      # once set, no pulumi is started any more
# Told whenever a pulumi starts or ends (govcloud's lease in the backend: provisioner/stacks/locks.py).
listeners: list[Callable[[], None]] = []


@cache
def _die_with_parent() -> tuple[str, ...]:
    setpriv = shutil.which("setpriv")
    return (setpriv, "--pdeathsig", "KILL", "--") if setpriv else ()


class MortalPulumi(PulumiCommand):
    """The Automation API's PulumiCommand whose processes die with govcloud (see above)."""

    def run(self, args: list[str], cwd: str, additional_env: Mapping[str, str],
            on_output: Callable[[str], None] | None = None,
            on_error: Callable[[str], None] | None = None) -> CommandResult:
        # As the Automation API runs it: never prompting, and finding the plugins beside the CLI.
        if "--non-interactive" not in args:
            args = ["--non-interactive", *args]
        env = {**os.environ, **additional_env, "PULUMI_AUTOMATION_API": "true"}
        env["PATH"] = os.pathsep.join([os.path.dirname(self.command), env.get("PATH", "")])
        chunks: dict[str, list[str]] = {"out": [], "err": []}

        def consume(stream, callback: Callable[[str], None] | None, lines: list[str]) -> None:
            for line in iter(stream.readline, ""):
                line = line.rstrip()
                if callback:
                    callback(line)
                lines.append(line)
            stream.close()

        with _lock:                    # not started while end_all runs: it would miss it
            if _ending.is_set():
                raise EngineError(WORDS("stopping"))
            process = subprocess.Popen([*_die_with_parent(), self.command, *args], cwd=cwd, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8",
                                       errors="replace", start_new_session=True)
            _running.add(process)
        _tell()
        try:
            readers = [threading.Thread(target=consume, args=(process.stdout, on_output, chunks["out"])),
                       threading.Thread(target=consume, args=(process.stderr, on_error, chunks["err"]))]
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join()
            code = process.wait()
        finally:
            with _lock:
                _running.discard(process)
            _tell()
        result = CommandResult(stdout="\n".join(chunks["out"]), stderr="\n".join(chunks["err"]), code=code)
        if code != 0:
            raise create_command_error(result)
        return result


def _tell() -> None:
    for listener in list(listeners):
        listener()


def running() -> list[int]:
    """Pids of the pulumi processes running now."""
    with _lock:
        return [process.pid for process in _running]


def end_all(grace: float = END_GRACE) -> None:
    """Ask every running pulumi to stop now, and kill any still running after `grace` seconds.
    Returns at once (it runs from a signal handler); the signalling is done on a thread."""
    with _lock:
        _ending.set()
        processes = list(_running)

    def end() -> None:
        # The first SIGTERM cancels; the second, once the first was seen (two pending
        # signals of one kind are delivered once), terminates at once.
        for signum, pause in ((signal.SIGTERM, 0.3), (signal.SIGTERM, 0.0)):
            for process in processes:
                _signal(process, signum)
            time.sleep(pause)
        for process in processes:
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)

    if processes:
        threading.Thread(target=end, name="end-pulumi", daemon=True).start()


def _signal(process: subprocess.Popen[str], signum: int) -> None:
    if process.poll() is None:
        try:
            process.send_signal(signum)
        except ProcessLookupError:
            pass
