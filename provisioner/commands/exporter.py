"""`govcloud exporter`: serve /metrics for Prometheus (art27: usage per county and per unit).

Allocation and resource-seconds come from the ledger, utilisation from OpenStack, deadlines
from the lifecycle, and what runs in the cloud (held per project, resources no ledger system
accounts for) from one listing per kind of OpenStack, shared with the utilisation source; a
background loop collects every --interval seconds and scrapes are served from the last rendering. `--once` prints one exposition and exits (for promtool and
for looking). Stops cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provisioner.commands.messages import WORDS
from provisioner.errors import CloudError, ConfigError
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: `--help` loads neither SQLAlchemy nor prometheus_client
    from provisioner.metering.utilisation import UtilisationSource

NAME = "exporter"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listen", help="HOST:PORT (default GOVCLOUD_EXPORTER_LISTEN or 127.0.0.1:9787)")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between collections (default 60)")
    parser.add_argument("--utilisation", default="openstack",
                        help="utilisation source: openstack (default), none, or static:FILE "
                             "(YAML {system key: {service/resource: ratio}})")
    parser.add_argument("--inventory", choices=("openstack", "none"), default="openstack",
                        help="what runs in the cloud against the ledger (govcloud_unaccounted_resources, "
                             "govcloud_project_held): openstack (default) or none")
    parser.add_argument("--once", action="store_true", help="collect once, print the exposition, exit")


def utilisation_source(spec: str, settings: Settings, reads: Any = None) -> UtilisationSource:
    """`reads`: the collection's shared openstack_reads.CloudReads (made here when not given)."""
    from provisioner.metering.utilisation import NoUtilisation, StaticUtilisation

    if spec == "none":
        return NoUtilisation()
    if spec.startswith("static:"):
        import yaml

        path = Path(spec.removeprefix("static:"))
        try:
            ratios = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(WORDS("utilisation-unreadable", spec=spec, error=exc)) from exc
        return StaticUtilisation({str(k): {str(kk): float(vv) for kk, vv in v.items()} for k, v in ratios.items()})
    if spec == "openstack":
        from provisioner.commands.cloud_reads import cloud_reads
        from provisioner.metering.openstack_use import OpenStackUtilisation
        return OpenStackUtilisation(reads or cloud_reads(settings))
    raise ConfigError(WORDS("utilisation-unknown", spec=spec))


def _listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(WORDS("listen-malformed", value=text))
    return host, int(port)


def _check_listen(host: str, port: int) -> None:
    """Bind the address once before the ledger is opened and the first collection made (which
    can take a minute): a port that is taken, e.g. by an exporter already running, is told at
    once. serve() binds it again."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as http.server does
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise _cannot_listen(host, port, exc) from exc


def _cannot_listen(host: str, port: int, exc: OSError) -> ConfigError:
    return ConfigError(WORDS("cannot-listen", host=host, port=port, reason=exc.strerror or exc))


def run(args: argparse.Namespace, settings: Settings) -> int:
    from prometheus_client import CollectorRegistry, disable_created_metrics

    from provisioner.calendar_metrics import UncertainCounter
    from provisioner.clock import today
    from provisioner.commands.cloud_reads import cloud_reads, inventory_source
    from provisioner.ledger import Ledger
    from provisioner.ledger.metering_schema import migrate_metering
    from provisioner.metering.agreement_series import AgreementSeries
    from provisioner.metering.alert_series import AlertSeries
    from provisioner.metering.credential_series import CredentialSeries
    from provisioner.metering.exporter import LEDGER_PAGE_CACHE_KIB, Exporter, serve
    from provisioner.policy.model import region_by_prefix

    host, port = _listen(args.listen or settings.exporter_listen)
    if not args.once:
        _check_listen(host, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    ledger = Ledger.open(settings.ledger_url, page_cache_kib=LEDGER_PAGE_CACHE_KIB)
    migrate_metering(ledger.engine)
    disable_created_metrics()       # no *_created series: their wall-clock values say nothing here
    registry = CollectorRegistry()
    calendar = settings.policies.calendar(on_uncertain=UncertainCounter(registry))
    reads = cloud_reads(settings) if "openstack" in (args.utilisation, args.inventory) else None
    exporter = Exporter(ledger, settings.policies.catalogue.flavors, calendar,
                        utilisation_source(args.utilisation, settings, reads), registry=registry,
                        interval=args.interval, clock=settings.clock,
                        inventory=inventory_source(args.inventory, reads),
                        release=reads.forget if reads is not None else None)
    AlertSeries(lambda: exporter.snapshot, calendar, ledger, registry=registry)   # what the alerting rules read
    policies = settings.policies.rule_set
    AgreementSeries(policies.agreements, region_by_prefix(policies.naming), lambda: today(settings.clock),
                    registry=registry)
    CredentialSeries(_account_reader(reads) if reads is not None else None, policies.inspection.credentials,
                     settings.clock, registry=registry)
    try:
        collected = exporter.collect_once()
        if args.once:
            sys.stdout.write(exporter.body.decode("utf-8"))
            # Served, a source that failed is a series at 0; asked once, it is a failed run (exit 2).
            down = [f"{name}: {status.error}" for name, status in collected.sources.items() if not status.up]
            if down:
                raise CloudError(WORDS("sources-down", sources="; ".join(down)))
            return 0
        try:
            server = serve(exporter, host, port)
        except OSError as exc:       # taken since _check_listen
            raise _cannot_listen(host, port, exc) from exc
        exporter.start()
        stop = _stop_on_sigterm()            # before saying it serves: a TERM right after is a clean stop
        print(WORDS.say("exporter-serving", args.lang, host=host, port=server.server_address[1]), flush=True)
        _wait(stop)
        server.shutdown()
        exporter.stop()
        return 0
    finally:
        ledger.close()


def _account_reader(reads: Any) -> Any:
    """The departments' accounts and credentials, read as the operator at each collection (art12), as plain
    REST on the collection's session (no openstacksdk in the daemon: inspection/accounts.py)."""
    from provisioner.inspection.accounts import from_api
    return lambda: reads.call(from_api)


def _stop_on_sigterm() -> threading.Event:
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    return done


def _wait(done: threading.Event) -> None:
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
