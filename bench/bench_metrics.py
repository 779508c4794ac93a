"""Benchmark: a Prometheus scrape of `govcloud exporter` at 10,000 systems, against baselines.

    .venv/bin/python bench/bench_metrics.py [--systems 10000] [--scrapes 50]

Fills a temporary ledger with SYSTEMS systems (tests/billing/synthetic.py: a year of
trials, go-lives, changes and terminations), starts the exporter as Prometheus would meet
it (`python -m provisioner.metering`, utilisation read from the local OpenStack cloud, one
collection a minute) and scrapes /metrics SCRAPES times the way Prometheus does (gzip).
Prints the median and 90th percentile scrape time, the exporter's resident memory (now and
peak), its collection times, and ratios against baselines measured in the same run:
  - uncached: the same Collector served by prometheus_client's own HTTP server, which
    renders at every scrape (generate_latest);
  - the peer: openstack-exporter (github.com/openstack-exporter/openstack-exporter) on the
    same cloud, built from the Go module proxy into ~/.cache/govcloud/peers/ (if the proxy
    serves it: otherwise the exact error is printed and the rest still runs).
Goals: median scrape <= 50 ms, RSS <= 150 MB. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prometheus_client import CollectorRegistry, start_http_server  # noqa: E402

from provisioner.calendar import WorkCalendar  # noqa: E402
from provisioner.catalogue import load_catalogue  # noqa: E402
from provisioner.ledger import Ledger  # noqa: E402
from provisioner.ledger.metering_schema import migrate_metering  # noqa: E402
from provisioner.metering.exporter import Exporter  # noqa: E402
from provisioner.metering.utilisation import NoUtilisation  # noqa: E402
from tests.billing import synthetic  # noqa: E402
from tests.billing.conftest import free_port, wait_for_http  # noqa: E402

CACHE = Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")
CLOUDS = CACHE / "devcloud" / "clouds.yaml"
PEERS = CACHE / "peers"
PEER_MODULE = "github.com/openstack-exporter/openstack-exporter"
GOAL_MS, GOAL_MB = 50.0, 150.0


def scrape(port: int, gzip: bool = True, path: str = "/metrics") -> tuple[float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"scrape of :{port}{path} answered {response.status}: {body[:200]!r}")
    return (time.perf_counter() - started) * 1000, len(body)


def timings(port: int, count: int, gzip: bool = True, path: str = "/metrics") -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(count):
        elapsed, size = scrape(port, gzip, path)
        times.append(elapsed)
    return times, size


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"median {statistics.median(times):8.1f} ms, p90 {p90:8.1f} ms, max {max(times):8.1f} ms (n={len(times)})"


def memory(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    field = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
    return int(field["VmRSS"]) / 1024, int(field["VmHWM"]) / 1024


def exporter_process(ledger_url: str, port: int, module: list[str]) -> subprocess.Popen:
    env = {**os.environ, "GOVCLOUD_LEDGER_URL": ledger_url, "OS_CLIENT_CONFIG_FILE": str(CLOUDS),
           "GOVCLOUD_ACTOR": "bench"}
    return subprocess.Popen([*module, "--listen", f"127.0.0.1:{port}", "--interval", "60"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def collection_seconds(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/metrics")
    lines = conn.getresponse().read().decode().splitlines()
    conn.close()
    found = [line.split("{")[1].replace('"}', "").replace('source="', "") for line in lines
             if line.startswith("govcloud_metering_source_duration_seconds{")]
    return ", ".join(f"{part.split()[0]} {float(part.split()[1]):.2f} s" for part in found)


def measure_govcloud(ledger_url: str, scrapes: int, module: list[str], label: str) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = exporter_process(ledger_url, port, module)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/metrics", proc, timeout=600)
        ready = time.perf_counter() - started
        time.sleep(2)
        times, size = timings(port, scrapes)
        rss, peak = memory(proc.pid)
        plain, plain_size = timings(port, 3, gzip=False)
        after_plain = memory(proc.pid)[0]
        print(f"{label}: first /metrics after {ready:.1f} s (start-up and first collection)")
        print(f"  gzip  ({size / 1e6:5.1f} MB): {describe(times)}")
        print(f"  plain ({plain_size / 1e6:5.1f} MB): {describe(plain)}")
        print(f"  RSS {rss:.0f} MB after the gzip scrapes ({after_plain:.0f} MB after the plain ones), {peak:.0f} MB "
              f"peak (goal {GOAL_MB:.0f} MB); collection: {collection_seconds(port)}")
        return statistics.median(times)
    finally:
        stop(proc)


def measure_inventory_scaling(count: int) -> None:
    """What a collection's inventory costs at a cloud of `count` resources (this cloud has far fewer): the
    listing's memory while it is held (it is dropped after the collection) and the comparison's time."""
    import tracemalloc
    from provisioner.metering import inventory
    from provisioner.metering.openstack_reads import CloudReads, _project
    reads = CloudReads(lambda: None)
    kinds = ("server", "volume", "floating_ip", "network", "subnet", "router", "security_group")
    tracemalloc.start()
    projects = {f"p{d}": _project(type("P", (), {"id": f"p{d}", "name": f"city-dept{d:03d}",
                                                 "tags": ["region=city", f"department=dept{d:03d}"]})())
                for d in range(300)}
    resources = tuple(inventory.Resource(       # four resources a system, 300 departments
        kinds[n % len(kinds)], f"{n:036d}", f"sys-{n // 4:05d}-{n % 4}", f"p{n // 4 % 300}",
        reads._labels(inventory.labels_of({"govcloud_region": "city", "govcloud_department": f"dept{n // 4 % 300:03d}",
                                           "govcloud_system": f"sys-{n // 4:05d}", "govcloud_phase": "production",
                                           "govcloud_request": f"JJ-2026-{n // 4:05d}"})),
        reads._holds(("compute/cores", 2.0), ("compute/ram", 4.0), ("volumev3/capacity", 40.0)))  # noqa: SLF001
        for n in range(count))
    held_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    found = inventory.Inventory(projects, resources)
    keys = frozenset(f"city.dept{n // 4 % 300:03d}.sys-{n // 4:05d}" for n in range(0, count, 8))
    started = time.perf_counter()
    result = inventory.findings(found, keys, keys)
    print(f"inventory of {count} resources (in process): listing {held_bytes / 1e6:.1f} MB while held, compared "
          f"with the ledger in {time.perf_counter() - started:.2f} s ({sum(result.unaccounted.values())} unaccounted)")


def measure_uncached(ledger_url: str, scrapes: int) -> float:
    ledger = Ledger.open(ledger_url)
    exporter = Exporter(ledger, load_catalogue(ROOT).flavors, WorkCalendar({}), NoUtilisation(),
                        registry=CollectorRegistry())
    started = time.perf_counter()
    exporter.collect_once()
    first = time.perf_counter() - started
    started = time.perf_counter()
    exporter.collect_once()
    print(f"collection in process (no utilisation source): first {first:.2f} s, then {time.perf_counter() - started:.2f} s "
          "(only changed generations are read again)")
    port = free_port()
    server, _ = start_http_server(port, addr="127.0.0.1", registry=exporter.metering_registry)
    try:
        times, size = timings(port, scrapes)
        print(f"baseline, uncached (prometheus_client renders each scrape, {size / 1e6:.1f} MB gzip): {describe(times)}")
        return statistics.median(times)
    finally:
        server.shutdown()
        ledger.close()


def build_peer() -> Path | None:
    binary = PEERS / "openstack-exporter"
    if binary.exists():
        return binary
    PEERS.mkdir(parents=True, exist_ok=True)
    for module in (f"{PEER_MODULE}/v2@latest", f"{PEER_MODULE}@latest"):
        work = Path(tempfile.mkdtemp(prefix="peer-build-"))
        result = subprocess.run(["go", "install", module], cwd=work, capture_output=True, text=True, timeout=900,
                                env={**os.environ, "GOBIN": str(PEERS), "GOFLAGS": "-buildvcs=false"})
        shutil.rmtree(work, ignore_errors=True)
        if result.returncode == 0 and binary.exists():
            return binary
        print(f"peer: `go install {module}` failed (exit {result.returncode}):\n    "
              + "\n    ".join(result.stderr.strip().splitlines()))
    return None


def measure_peer(binary: Path, scrapes: int) -> float:
    port = free_port()
    proc = subprocess.Popen([str(binary), "--os-client-config", str(CLOUDS), "--web.listen-address",
                             f"127.0.0.1:{port}", "govcloud-dev"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/metrics", proc, timeout=120)
        times, size = timings(port, scrapes)
        print(f"peer, openstack-exporter ({size / 1e6:.2f} MB gzip, the same cloud): {describe(times)}; "
              f"RSS {memory(proc.pid)[0]:.0f} MB")
        return statistics.median(times)
    finally:
        stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--scrapes", type=int, default=50)
    parser.add_argument("--resources", type=int, default=40_000,
                        help="cloud resources for the inventory's in-process measure (default 40,000)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    url = f"sqlite:///{work / 'ledger.sqlite3'}"
    try:
        ledger = Ledger.open(url)
        migrate_metering(ledger.engine)
        started = time.perf_counter()
        count = synthetic.fill(ledger, args.systems, 2026, datetime.now(timezone.utc))
        ledger.close()
        print(f"ledger: {count} systems written in {time.perf_counter() - started:.1f} s")
        lean = measure_govcloud(url, args.scrapes, [sys.executable, "-m", "provisioner.metering"],
                                "govcloud exporter (python -m provisioner.metering)")
        without = measure_govcloud(url, args.scrapes, [sys.executable, "-m", "provisioner.metering", "--inventory", "none"],
                                   "the same without the cloud inventory (--inventory none)")
        print(f"ratio with / without the inventory, median scrape: {lean / without:.2f}")
        measure_inventory_scaling(args.resources)
        measure_govcloud(url, 10, [str(ROOT / ".venv" / "bin" / "govcloud"), "exporter"],
                         "the same through the full CLI (`govcloud exporter`)")
        uncached = measure_uncached(url, max(3, args.scrapes // 10))
        print(f"ratio uncached / cached median: {uncached / lean:.0f}x")
        peer = build_peer()
        if peer is None:
            print("peer: not built (see the error above); no peer ratio in this run")
        else:
            peer_ms = measure_peer(peer, args.scrapes)
            print(f"ratio govcloud / openstack-exporter median: {lean / peer_ms:.2f}")
        print(f"goal median <= {GOAL_MS:.0f} ms: {'met' if lean <= GOAL_MS else 'MISSED'}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
