"""govcloud's settings, read once from the environment by the CLI and passed down.

Defaults are the embedded ones: the local cloud, a local file state backend
and SQLite, all under ~/.cache/govcloud. Production overrides them with the
variables named on each field.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from provisioner import clock as clock_mod
from provisioner.errors import ConfigError


DEV_CLOUD = "govcloud-dev"
DEV_PASSPHRASE = "govcloud-dev-cloud-only"


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
    reconcile_engine: str = "none"  # GOVCLOUD_RECONCILE_ENGINE: "none" records intents only
    audit_bucket: str = ""  # GOVCLOUD_AUDIT_BUCKET: S3 bucket for audit log exports
    audit_prefix: str = "audit/"    # GOVCLOUD_AUDIT_PREFIX
    audit_s3_endpoint: str | None = None  # GOVCLOUD_AUDIT_S3_ENDPOINT: S3-compatible endpoint URL (None: AWS's)
    # GitOps (provisioner/gitops): how long `govcloud apply --base` waits for a stack locked by another run.
    lock_wait: float = 300.0  # GOVCLOUD_LOCK_WAIT: seconds; 0 fails at once with the holder named
    # GOVCLOUD_CLOUD_TIMEOUT: seconds any one request to the cloud may take (openstacksdk, the
    # provider plugin, the exporter), connecting and waiting for the answer included.
    cloud_timeout: float = 60.0
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
            reconcile_engine=environ.get("GOVCLOUD_RECONCILE_ENGINE") or "none",
            audit_bucket=environ.get("GOVCLOUD_AUDIT_BUCKET") or "",
            audit_prefix=environ.get("GOVCLOUD_AUDIT_PREFIX") or "audit/",
            audit_s3_endpoint=environ.get("GOVCLOUD_AUDIT_S3_ENDPOINT") or None,
            exporter_listen=environ.get("GOVCLOUD_EXPORTER_LISTEN") or "127.0.0.1:9787",
            prometheus_url=environ.get("GOVCLOUD_PROMETHEUS_URL") or "",
            lock_wait=_seconds(environ, "GOVCLOUD_LOCK_WAIT", 300.0),
            cloud_timeout=_seconds(environ, "GOVCLOUD_CLOUD_TIMEOUT", 60.0, positive=True),
            clock=clock_mod.from_environ(environ),
        )

    def now(self) -> datetime:
        """The command's "now": GOVCLOUD_NOW when set, else the system clock (aware, UTC)."""
        return self.clock()

    def passphrase_env(self) -> dict[str, str]:
        """The stack secrets passphrase, by file; the development cloud's is fixed and public.

        Stack files in stacks/ carry the salt of the passphrase they were made
        with, so everyone working on one repository shares one passphrase:
        production keeps its own in a file from its vault; the development
        cloud's is a known value, refused for any other cloud.
        """
        if self.passphrase_file is not None:
            return {"PULUMI_CONFIG_PASSPHRASE_FILE": str(self.passphrase_file)}
        if self.cloud != DEV_CLOUD:
            raise ConfigError(f"cloud {self.cloud} needs GOVCLOUD_PASSPHRASE_FILE: the development "
                              f"passphrase only protects the development cloud {DEV_CLOUD}")
        return {"PULUMI_CONFIG_PASSPHRASE": DEV_PASSPHRASE}

    def pulumi_env(self) -> dict[str, str]:
        """What the Pulumi CLI needs to run offline against our backend and cloud."""
        return {
            "PULUMI_HOME": str(self.pulumi_home),
            "PULUMI_BACKEND_URL": self.backend_url,
            **self.passphrase_env(),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "OS_CLIENT_CONFIG_FILE": str(self.clouds_file),
            # Read by govcloud's provider plugin (engine/openstack): its HTTP client's timeout.
            "GOVCLOUD_CLOUD_TIMEOUT": f"{self.cloud_timeout:g}",
            "PATH": os.pathsep.join([str(self.engine_bin), str(self.root / ".venv" / "bin"),
                                     os.environ.get("PATH", "")]),
        }

    def check_engine(self) -> None:
        if not (self.engine_bin / "pulumi").exists():
            raise ConfigError(f"no Pulumi engine at {self.engine_bin}: run scripts/build-engine")
        if not self.clouds_file.exists():
            raise ConfigError(f"no clouds.yaml at {self.clouds_file}: start the local cloud with "
                              f"scripts/devcloud/devcloud start, or set OS_CLIENT_CONFIG_FILE")


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding govcloud's Pulumi.yaml."""
    for candidate in [start, *start.parents]:
        if (candidate / "Pulumi.yaml").exists() and (candidate / "request_specs").is_dir():
            return candidate
    raise ConfigError(f"not inside a govcloud repository (no Pulumi.yaml and request_specs/ above {start})")


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
        raise ConfigError(f"{name} must be a number of seconds, not {text!r}") from None
    if value < 0 or (positive and value == 0):
        raise ConfigError(f"{name} must be {'more than 0' if positive else 'at least 0'} ({text})")
    return value
