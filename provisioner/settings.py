"""govcloud's settings, read once from the environment by the CLI and passed down.

Defaults are the embedded ones: the local cloud, a local file state backend
and SQLite, all under ~/.cache/govcloud. Production overrides them with the
variables named on each field.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner import clock as clock_mod
from provisioner.errors import ConfigError
from provisioner.messages import WORDS
from provisioner.passphrase import DEV_CLOUD, DEV_PASSPHRASE, passphrase_for


if TYPE_CHECKING:
    from provisioner.policy.store import Policies

# Who the ledger records as accepting a request on the development cloud (`govcloud apply` of a
# spec the ledger lacks, `govcloud lifecycle submit --accept`, the main job): no office there.
DEV_OFFICE_ACTOR = "devcloud-office"


@dataclass(frozen=True)
class Settings:
    root: Path              # the repository: Pulumi.yaml, request_specs/, stacks/, policies/
    cache: Path             # GOVCLOUD_CACHE: machine-local state of govcloud
    engine_bin: Path        # GOVCLOUD_ENGINE_BIN: pulumi, language host (scripts/build-engine)
    pulumi_home: Path       # PULUMI_HOME: where the provider plugin is installed
    backend_url: str        # GOVCLOUD_STATE_URL: file:///... or s3://...
    passphrase_file: Path | None  # GOVCLOUD_PASSPHRASE_FILE: encrypts stack secrets (None: dev cloud's)
    cloud: str              # GOVCLOUD_CLOUD: the clouds.yaml entry of the operator account
    clouds_file: Path       # OS_CLIENT_CONFIG_FILE
    # GOVCLOUD_ANTI_AFFINITY: the server-group policy for hosts that must not share a
    # compute node. Hard (`anti-affinity`) needs as many compute nodes as servers in
    # the group; the two-host development cloud uses `soft-anti-affinity`.
    anti_affinity: str = "anti-affinity"
    # The ledger and the audit log (provisioner/ledger, provisioner/audit, govcloud reconcile):
    ledger_url: str = ""    # GOVCLOUD_LEDGER_URL: sqlite:///... (default, under the cache) or postgresql+psycopg://...
    actor: str = "unknown"  # GOVCLOUD_ACTOR: who is recorded in events and the audit log (default: the OS user)
    # GOVCLOUD_RECONCILE_ENGINE: "pulumi" (default) makes, promotes, changes and ends stacks;
    # "none" only records what is due, for a cloud govcloud must not touch (the provider acts by hand).
    reconcile_engine: str = "pulumi"
    audit_bucket: str = ""  # GOVCLOUD_AUDIT_BUCKET: S3 bucket for audit log exports
    audit_prefix: str = "audit/"    # GOVCLOUD_AUDIT_PREFIX
    audit_s3_endpoint: str | None = None  # GOVCLOUD_AUDIT_S3_ENDPOINT: S3-compatible endpoint URL (None: AWS's)
    # GitOps (provisioner/gitops): how long `govcloud apply --base` waits for a stack locked by another run.
    lock_wait: float = 300.0  # GOVCLOUD_LOCK_WAIT: seconds; 0 fails at once with the holder named
    # GOVCLOUD_CLOUD_TIMEOUT: seconds any one request to the cloud may take (openstacksdk, the
    # provider plugin, the exporter), connecting and waiting for the answer included.
    cloud_timeout: float = 60.0
    # GOVCLOUD_POLL_INTERVAL: the longest the provider plugin waits between two reads of a resource
    # it waits for (a server becoming ACTIVE, a volume detached, a port gone); upstream waits 3 s,
    # then 6 s, then every 10 s (engine/openstack/patches). 0 keeps upstream's waits.
    poll_interval: float = 1.0
    # GOVCLOUD_VALIDATE_CACHE: where `govcloud validate` keeps the results of runs whose inputs it
    # saw before (provisioner/app/validate_cache.py); "off" (None) checks every time.
    validate_cache: Path | None = None
    # Metering and billing (provisioner/metering, provisioner/billing; govcloud exporter, govcloud bill):
    exporter_listen: str = "127.0.0.1:9787"   # GOVCLOUD_EXPORTER_LISTEN: where `govcloud exporter` serves /metrics
    prometheus_url: str = ""  # GOVCLOUD_PROMETHEUS_URL: the Prometheus `govcloud bill` cross-checks usage with
    # GOVCLOUD_NOW: the moment every command takes as "now" (provisioner/clock.py); the system clock when unset.
    clock: clock_mod.Clock = field(default=clock_mod.system_now, compare=False, repr=False)

    @classmethod
    def from_environ(cls, environ: os._Environ[str] | dict[str, str], root: Path) -> Settings:
        cache = Path(environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")
        return cls(
            root=root,
            cache=cache,
            engine_bin=Path(environ.get("GOVCLOUD_ENGINE_BIN") or cache / "engine" / "current" / "bin"),
            pulumi_home=Path(environ.get("PULUMI_HOME") or cache / "pulumi-home"),
            backend_url=environ.get("GOVCLOUD_STATE_URL") or (cache / "state").as_uri(),
            passphrase_file=Path(environ["GOVCLOUD_PASSPHRASE_FILE"]) if environ.get("GOVCLOUD_PASSPHRASE_FILE") else None,
            cloud=environ.get("GOVCLOUD_CLOUD") or DEV_CLOUD,
            clouds_file=Path(environ.get("OS_CLIENT_CONFIG_FILE") or cache / "devcloud" / "clouds.yaml"),
            anti_affinity=environ.get("GOVCLOUD_ANTI_AFFINITY")
            or ("soft-anti-affinity" if (environ.get("GOVCLOUD_CLOUD") or DEV_CLOUD) == DEV_CLOUD
                else "anti-affinity"),
            ledger_url=environ.get("GOVCLOUD_LEDGER_URL") or f"sqlite:///{cache / 'ledger.sqlite3'}",
            actor=environ.get("GOVCLOUD_ACTOR") or _os_user(),
            reconcile_engine=environ.get("GOVCLOUD_RECONCILE_ENGINE") or "pulumi",
            audit_bucket=environ.get("GOVCLOUD_AUDIT_BUCKET") or "",
            audit_prefix=environ.get("GOVCLOUD_AUDIT_PREFIX") or "audit/",
            audit_s3_endpoint=environ.get("GOVCLOUD_AUDIT_S3_ENDPOINT") or None,
            exporter_listen=environ.get("GOVCLOUD_EXPORTER_LISTEN") or "127.0.0.1:9787",
            prometheus_url=environ.get("GOVCLOUD_PROMETHEUS_URL") or "",
            lock_wait=_seconds(environ, "GOVCLOUD_LOCK_WAIT", 300.0),
            cloud_timeout=_seconds(environ, "GOVCLOUD_CLOUD_TIMEOUT", 60.0, positive=True),
            poll_interval=_seconds(environ, "GOVCLOUD_POLL_INTERVAL", 1.0),
            validate_cache=_validate_cache(environ),
            clock=clock_mod.from_environ(environ),
        )

    @cached_property
    def policies(self) -> Policies:
        """The office's policies/ under root: one object per command, each file read once when first used."""
        from provisioner.policy.store import Policies
        return Policies(self.root)

    @property
    def dev_cloud(self) -> bool:
        """The embedded development cloud, where govcloud may act for the office (DEV_OFFICE_ACTOR)."""
        return self.cloud == DEV_CLOUD

    def now(self) -> datetime:
        """The command's "now": GOVCLOUD_NOW when set, else the system clock (aware, UTC)."""
        return self.clock()

    def passphrase(self) -> str:
        """The stack secrets passphrase: GOVCLOUD_PASSPHRASE_FILE's, checked for this cloud
        (provisioner/passphrase.py); the development cloud's fixed, public one without a file."""
        return passphrase_for(self.cloud, self.passphrase_file)

    def pulumi_env(self) -> dict[str, str]:
        """What the Pulumi processes govcloud starts need: offline, our backend, our cloud.

        The Automation API adds these to govcloud's own environment, so what the shell
        holds must be overridden here, not merely left out: the passphrase is passed as
        its value (Pulumi reads PULUMI_CONFIG_PASSPHRASE before the file, so one left in
        the shell by `eval "$(govcloud env)"` would win over GOVCLOUD_PASSPHRASE_FILE), and
        every OS_* variable of the shell is emptied (the provider reads OS_CLOUD,
        OS_PROJECT_NAME, ... as defaults that win over the clouds.yaml entry; empty counts
        as unset), so the stacks' credentials come from the entry GOVCLOUD_CLOUD names only.
        """
        return {
            **self._engine_env(),
            "PULUMI_CONFIG_PASSPHRASE": self.passphrase(),
            **{name: "" for name in shell_openstack_variables(os.environ)},
            "OS_CLIENT_CONFIG_FILE": str(self.clouds_file),
        }

    def hand_run_env(self) -> tuple[dict[str, str], list[str]]:
        """(variables to export, variables to unset) for running `pulumi` by hand (`govcloud env`).

        The passphrase goes by file (never printed), except the development cloud's public
        one; the shell's OS_* variables are unset, as for govcloud's own runs."""
        self.passphrase()                        # refuse a missing, short or development passphrase here too
        secret = ({"PULUMI_CONFIG_PASSPHRASE_FILE": str(self.passphrase_file)} if self.passphrase_file
                  else {"PULUMI_CONFIG_PASSPHRASE": DEV_PASSPHRASE})
        unset = [*(["PULUMI_CONFIG_PASSPHRASE"] if self.passphrase_file else []),
                 *sorted(shell_openstack_variables(os.environ))]
        return {**self._engine_env(), **secret, "OS_CLIENT_CONFIG_FILE": str(self.clouds_file)}, unset

    def _engine_env(self) -> dict[str, str]:
        return {
            "PULUMI_HOME": str(self.pulumi_home),
            "PULUMI_BACKEND_URL": self.backend_url,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            # Read by govcloud's provider plugin (engine/openstack): its HTTP client's timeout.
            "GOVCLOUD_CLOUD_TIMEOUT": f"{self.cloud_timeout:g}",
            # Read by the plugin's state-change waits (engine/openstack/patches): the longest wait between reads.
            "GOVCLOUD_POLL_INTERVAL": f"{self.poll_interval:g}",
            # The program judges the policies on the command's day (GOVCLOUD_NOW), not the machine's.
            **({} if self.clock is clock_mod.system_now else {clock_mod.VARIABLE: self.clock().isoformat()}),
            "PATH": os.pathsep.join([str(self.engine_bin), str(self.root / ".venv" / "bin"),
                                     os.environ.get("PATH", "")]),
        }

    def check_engine(self) -> None:
        if not (self.engine_bin / "pulumi").exists():
            raise ConfigError(WORDS("settings-no-engine", path=self.engine_bin))
        if not self.clouds_file.exists():
            raise ConfigError(WORDS("settings-no-clouds-yaml", path=self.clouds_file))


def shell_openstack_variables(environ: Mapping[str, str]) -> list[str]:
    """The OS_* variables of a shell that would steer OpenStack clients away from the
    clouds.yaml entry govcloud is told to use (OS_CLIENT_CONFIG_FILE is govcloud's own setting)."""
    return [name for name in environ if name.startswith("OS_") and name != "OS_CLIENT_CONFIG_FILE"]


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding govcloud's Pulumi.yaml."""
    for candidate in [start, *start.parents]:
        if (candidate / "Pulumi.yaml").exists() and (candidate / "request_specs").is_dir():
            return candidate
    raise ConfigError(WORDS("settings-no-root", start=start))


def _validate_cache(environ: os._Environ[str] | dict[str, str]) -> Path | None:
    """GOVCLOUD_VALIDATE_CACHE: a folder, or "off"; by default the user's cache folder's
    govcloud/validate ($XDG_CACHE_HOME, else ~/.cache), not GOVCLOUD_CACHE: the results are
    the user's, like ruff's and mypy's, wherever the engine and the dev cloud are kept."""
    text = (environ.get("GOVCLOUD_VALIDATE_CACHE") or "").strip()
    if text.lower() in ("off", "0", "no", "false"):
        return None
    if text:
        return Path(text)
    return Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govcloud" / "validate"


def _os_user() -> str:
    """The login name recorded as the actor when GOVCLOUD_ACTOR is not set."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _seconds(environ: os._Environ[str] | dict[str, str], name: str, default: float,
             positive: bool = False) -> float:
    """A duration in seconds from the environment; a wrong one is a configuration error."""
    text = environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(WORDS("settings-seconds-not-number", name=name, text=text)) from None
    if value < 0 or (positive and value == 0):
        raise ConfigError(WORDS("settings-seconds-not-positive" if positive else "settings-seconds-negative",
                                name=name, text=text))
    return value
