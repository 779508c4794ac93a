"""The `govcloud` command: parses arguments, reads settings once, calls a use case, prints.

This is the only module that writes to the terminal. It is also the one error
boundary: user errors exit 1, infrastructure errors 2, bugs 3 (traceback in a
log file), Ctrl-C 130, SIGTERM 143, a reader that went away (`govcloud validate | head`)
1, quietly. On Ctrl-C and SIGTERM the run's pulumi processes are told to stop first
(provisioner/stacks/processes.py), so none outlives govcloud. A cloud that did not
answer is one line naming the endpoint (provisioner/cloud/timeouts.py), exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provisioner.errors import GovcloudError, SpecError
from provisioner.settings import Settings, find_root
from provisioner.words import LANGS


@dataclass(frozen=True)
class Command:
    """Where a command lives and what it is for, so that only the one being run is imported.

    `govcloud --help` lists every command from this table without importing any, and a
    command's module imports what its run needs (Pulumi, openstacksdk, SQLAlchemy, ...)
    inside run(), so `govcloud <command> --help` stays as quick as a bare Python start
    allows (tests/unit/test_cli_commands.py). The target is a module or class with NAME,
    add_arguments(parser) and run(args, settings); NAME must equal `name` (tested). Its help
    line is here, not in the module (a HELP constant there would need the import)."""

    name: str
    target: str              # "module" or "module:Class"
    help: str = ""           # one line for `govcloud --help` and the command's own (tested: never empty)
    audited: bool = False    # each run appended to the audit log (art26)

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        command = importlib.import_module(module)
        command = getattr(command, attribute) if attribute else command
        if self.audited:
            from provisioner.commands.audited import audited
            command = audited(command)
        return command


_C = "provisioner.commands."
COMMANDS = [
    # What changes or reads the stacks is audited (art26): who ran which, with what outcome.
    Command("apply", _C + "stacks:Apply",
            "create or update the stacks of the requests the ledger knows (default: all under request_specs/; "
            "the development cloud records unknown ones, any other cloud refuses them); "
            "--base REF after a merge: through the lifecycle (provisioner.gitops)", audited=True),
    Command("preview", _C + "stacks:Preview", "show what apply would change, changing nothing", audited=True),
    Command("destroy", _C + "stacks:Destroy",
            "destroy the stacks of the requests (development cloud; production goes through termination)",
            audited=True),
    Command("drift", _C + "drift", "report, per stack, what changed in the cloud outside govcloud "
            "(changes nothing; exit 4 when anything drifted)", audited=True),
    Command("validate", _C + "validate", "check request specs and policies/; report every problem with file:line"),
    Command("policy", _C + "policy", "the information office's rules (policies/): check, report, docs"),
    Command("schema", _C + "schema", "print the JSON Schema of request specs for editors "
            "(checked in as request_specs/request-spec.schema.json)"),
    Command("env", _C + "env", 'print shell exports for running pulumi by hand: eval "$(govcloud env)"'),
    # Provider set-up, once per cloud: it changes Keystone.
    Command("regions", _C + "regions",
            "create the Keystone domain of each region (city and counties) where missing; idempotent", audited=True),
    # Ledger, calendar and audit commands.
    Command("calendar", _C + "calendar",
            "PRC working-day deadlines (art15/16/18), trial end (art16), legacy retention (art23)", audited=True),
    Command("reconcile", _C + "reconcile:Reconcile",
            "the periodic job: do what the lifecycle says is due (run from cron or a systemd timer)", audited=True),
    Command("adopt", _C + "adopt", "record in the ledger the systems whose stacks already run (made before the "
            "ledger, or by a hand-run pulumi up), phase and start read from their labels; rebuilds nothing",
            audited=True),
    Command("lifecycle", _C + "reconcile:Lifecycle", "record requests and decisions in the ledger: submit, accept, "
            "reject, verdict, extend, early-go-live, terminate, handover (art25), done, show", audited=True),
    Command("status", _C + "status", "one row per system: phase, next deadline and who owes it, trial end, "
            "this month's cost so far", audited=True),
    Command("audit", _C + "audit", "verify, export (S3) and prune the hash-chained audit log (art26)", audited=True),
    # Metering and the yearly settlement (art27-30).
    Command("exporter", _C + "exporter", "serve /metrics: allocation and resource-seconds from the ledger, "
            "utilisation from OpenStack, deadlines", audited=True),
    Command("bill", _C + "bill", "the yearly settlement per region and department: usage x prices, evaluation, "
            "utilisation (art27-30)", audited=True),
    # GitOps: the merge-request plan and stack unlocking; CODEOWNERS is a generated file.
    Command("plan", _C + "plan", "the merge-request plan: changed specs since --base, checks, previews, cost, "
            "deadlines, one comment", audited=True),
    Command("unlock", _C + "unlock", "clear a stale stack lock left by a killed pulumi run (refuses a live one)",
            audited=True),
    # Out-of-band damage: what was deleted by hand, rebuilt stack by stack.
    Command("repair", _C + "repair", "rebuild what was deleted by hand in one stack (a project, a server...); "
            "stops before making a data volume again empty and names its latest backup", audited=True),
    Command("codeowners", _C + "codeowners", "generate CODEOWNERS: each department owns its folder "
            "(+ its level-1 parent), the office owns policies/"),
    # Alerts: the Alertmanager configuration is generated from policies/owners.yaml.
    Command("alerts-config", _C + "alerts_config", "write the Alertmanager configuration: each unit's alerts to "
            "its email in policies/owners.yaml, all to the office"),
    # art12(3): accounts and passwords rotated; the stacks credential is issued through the tenant stack.
    Command("credentials", _C + "credentials", "the departments' Keystone users and application credentials and "
            "their age; rotate <department>: a new stacks credential, the old revoked after the overlap (art12)",
            audited=True),
    # The office's security inspection (art20-21, art24): reads the cloud, changes nothing.
    Command("security-report", _C + "security_report", "the security inspection of the running cloud per system: "
            "internet exposure, MLPS services, backups, images, security group drift, credentials (art20-21, art24; "
            "exit 1 on findings)", audited=True),
]


def command_named(name: str) -> Command:
    return next(c for c in COMMANDS if c.name == name)


def _chosen(argv: list[str]) -> Command | None:
    """The command named by the first word of argv (of the options before it, only --lang takes a value)."""
    words = [word for index, word in enumerate(argv)
             if not word.startswith("-") and (index == 0 or argv[index - 1] != "--lang")]
    return next((c for c in COMMANDS if words and c.name == words[0]), None)



def _parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcloud", description="九江市政务云 provisioner")
    parser.add_argument("--lang", choices=LANGS, help="language of everything govcloud says: zh (default) or en; "
                                                      "every command honours it (its own --lang, if given, wins)")
    sub = parser.add_subparsers(dest="command", required=True)
    chosen = _chosen(argv)
    # Every command is listed; only the chosen one is imported (none for `govcloud --help`).
    for entry in COMMANDS:
        command_parser = sub.add_parser(entry.name, help=entry.help, description=entry.help)
        if entry is chosen:
            command = entry.load()
            command.add_arguments(command_parser)
            command_parser.set_defaults(run=command.run)
            _lang_everywhere(command_parser, global_lang(argv) or "zh")
    return parser


LANG_HELP = "language of what it says: zh (default) or en"


def _lang_everywhere(parser: argparse.ArgumentParser, lang: str, top: bool = True) -> None:
    """--lang where people type it: before the command, after it, or after a subcommand
    (`govcloud --lang en lifecycle submit`, `govcloud lifecycle submit --lang en`); the one typed
    last wins. The command's own --lang defaults to the one given before it (argparse lets a
    subparser's defaults replace what its parent read); a subcommand's sets nothing unless typed,
    so what was read before it stands."""
    own = [action for action in parser._actions if action.dest == "lang"]
    if not own:
        own = [parser.add_argument("--lang", choices=LANGS, help=LANG_HELP)]
    for action in own:
        action.default = lang if top else argparse.SUPPRESS
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in {id(p): p for p in action.choices.values()}.values():
                _lang_everywhere(sub, lang, top=False)


def global_lang(argv: list[str]) -> str | None:
    """The --lang given before the command's name, if any."""
    lang = None
    for index, word in enumerate(argv):
        if not word.startswith("-"):
            break
        if word == "--lang" and index + 1 < len(argv):
            lang = argv[index + 1]
        elif word.startswith("--lang="):
            lang = word.partition("=")[2]
    return lang if lang in LANGS else None


# Libraries that log warnings of their own before raising (keystoneauth: "Failed to discover
# available identity versions" when the cloud is down): the error that follows says it, once.
QUIET_LIBRARIES = ("keystoneauth",)


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C (finally blocks run, the audit record is written)."""


def _on_signal(signum: int, _frame: object) -> None:
    # Only a command that started pulumi has loaded this module.
    processes = sys.modules.get("provisioner.stacks.processes")
    if processes is not None:
        processes.end_all()
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


def _cloud_failure(exc: BaseException, settings: Settings | None, refused: bool = True) -> GovcloudError | None:
    """One message for a cloud that did not answer in time, however deep the error came from
    (with `refused`, for one that refused the connection too)."""
    if "keystoneauth1" not in sys.modules:
        return None
    from provisioner.cloud.timeouts import unreachable
    return unreachable(exc, settings.cloud_timeout if settings else Settings.cloud_timeout, refused)


def exporter_parser(_argv: list[str]) -> argparse.ArgumentParser:
    """`python -m provisioner.metering`: the exporter daemon without the rest of the CLI (its
    imports only), inside the same error boundary and audit record as `govcloud exporter`."""
    entry = command_named("exporter")
    parser = argparse.ArgumentParser(prog="python -m provisioner.metering", description=entry.help)
    parser.add_argument("--lang", choices=LANGS, default="zh", help="language of what it says: zh (default) or en")
    command = entry.load()
    command.add_arguments(parser)
    parser.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None,
         parser: Callable[[list[str]], argparse.ArgumentParser] = _parser) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).addHandler(logging.NullHandler())
    if threading.current_thread() is threading.main_thread():   # tests also call main() from threads
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _on_signal)
    settings: Settings | None = None
    lang = global_lang(argv) or "zh"
    try:
        args = parser(argv).parse_args(argv)
        lang = getattr(args, "lang", None) or lang
        settings = Settings.from_environ(os.environ, find_root(Path.cwd()))
        code = args.run(args, settings)
        sys.stdout.flush()       # a closed pipe shows here, inside the boundary, not at exit
        return code
    except BrokenPipeError:
        return _reader_gone()
    except SpecError as exc:
        for problem in exc.problems:
            print(problem.render(lang), file=sys.stderr)
        return exc.exit_code
    except GovcloudError as exc:
        print(f"govcloud: {(_cloud_failure(exc, settings, refused=False) or exc).render(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 128 + signal.SIGTERM
    except Exception as exc:  # noqa: BLE001 - the boundary: a bug, logged for the report
        cloud = _cloud_failure(exc, settings)
        if cloud is not None:        # openstacksdk lets keystoneauth's connection errors through
            print(f"govcloud: {cloud.render(lang)}", file=sys.stderr)
            return cloud.exit_code
        import tempfile
        import traceback

        fd, log = tempfile.mkstemp(prefix="govcloud-crash-", suffix=".log")
        with os.fdopen(fd, "w") as handle:
            traceback.print_exc(file=handle)
        from provisioner.commands.messages import WORDS
        print(f"govcloud: {WORDS.say('internal-error', lang, log=log)}", file=sys.stderr)
        return 3


def _reader_gone() -> int:
    """The reader of our output closed it (`govcloud status | head`): not an error of ours, and
    nothing more to say to it. As CPython's docs advise (signal module, "Note on SIGPIPE"),
    stdout goes to /dev/null so that the interpreter's flush at exit does not fail again, and
    the exit is quiet, with 1 (a user-side end, not 3)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


if __name__ == "__main__":
    sys.exit(main())
