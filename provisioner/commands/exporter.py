"""`govcloud exporter`: serve /metrics for Prometheus (art27: usage per county and per unit).

Allocation and resource-seconds come from the ledger, utilisation from OpenStack, deadlines
from the lifecycle; a background loop collects every --interval seconds and scrapes are
served from the last rendering. `--once` prints one exposition and exits (for promtool and
for looking). Stops cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import CollectorRegistry, disable_created_metrics

from provisioner.calendar_metrics import UncertainCounter
from provisioner.calendar_policy import load_calendar
from provisioner.catalogue import load_catalogue
from provisioner.errors import CloudError, ConfigError
from provisioner.ledger import Ledger
from provisioner.ledger.metering_schema import migrate_metering
from provisioner.metering.exporter import Exporter, serve
from provisioner.metering.utilisation import NoUtilisation, StaticUtilisation, UtilisationSource
from provisioner.settings import Settings

NAME = "exporter"
HELP = "serve /metrics: allocation and resource-seconds from the ledger, utilisation from OpenStack, deadlines"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--listen", help="HOST:PORT (default GOVCLOUD_EXPORTER_LISTEN or 127.0.0.1:9787)")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between collections (default 60)")
    parser.add_argument("--utilisation", default="openstack",
                        help="utilisation source: openstack (default), none, or static:FILE "
                             "(YAML {system key: {service/resource: ratio}})")
    parser.add_argument("--once", action="store_true", help="collect once, print the exposition, exit")


def utilisation_source(spec: str, settings: Settings) -> UtilisationSource:
    if spec == "none":
        return NoUtilisation()
    if spec.startswith("static:"):
        path = Path(spec.removeprefix("static:"))
        try:
            ratios = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"--utilisation {spec}: {exc}") from exc
        return StaticUtilisation({str(k): {str(kk): float(vv) for kk, vv in v.items()} for k, v in ratios.items()})
    if spec == "openstack":
        from provisioner.metering.openstack_use import OpenStackUtilisation
        databases = frozenset(load_catalogue(settings.root).database_flavors)
        return OpenStackUtilisation(lambda: _connect(settings), databases)
    raise ConfigError(f"--utilisation {spec}: choose openstack, none or static:FILE")


def _connect(settings: Settings) -> Any:
    import openstack.config
    from openstack.connection import Connection
    config = openstack.config.OpenStackConfig(config_files=[str(settings.clouds_file)])
    return Connection(config=config.get_one(cloud=settings.cloud, api_timeout=settings.cloud_timeout))


def _listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"--listen {text}: expected HOST:PORT")
    return host, int(port)


def run(args: argparse.Namespace, settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    host, port = _listen(args.listen or settings.exporter_listen)
    ledger = Ledger.open(settings.ledger_url)
    migrate_metering(ledger.engine)
    disable_created_metrics()       # no *_created series: their wall-clock values say nothing here
    registry = CollectorRegistry()
    calendar = load_calendar(settings.root, on_uncertain=UncertainCounter(registry))
    exporter = Exporter(ledger, load_catalogue(settings.root).flavors, calendar,
                        utilisation_source(args.utilisation, settings), registry=registry, interval=args.interval,
                        clock=settings.clock)
    try:
        collected = exporter.collect_once()
        if args.once:
            sys.stdout.write(exporter.body.decode("utf-8"))
            # Served, a source that failed is a series at 0; asked once, it is a failed run (exit 2).
            down = [f"{name}: {status.error}" for name, status in collected.sources.items() if not status.up]
            if down:
                raise CloudError("; ".join(down))
            return 0
        server = serve(exporter, host, port)
        exporter.start()
        print(f"govcloud exporter: serving http://{host}:{server.server_address[1]}/metrics", flush=True)
        _wait_for_signal()
        server.shutdown()
        exporter.stop()
        return 0
    finally:
        ledger.close()


def _wait_for_signal() -> None:
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
