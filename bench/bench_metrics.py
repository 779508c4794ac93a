"""Benchmark: a Prometheus scrape of `govcloud exporter` at 10,000 systems, and beside openstack-exporter.

    .venv/bin/python bench/bench_metrics.py [--systems 10000] [--scrapes 50] [--skip-peer]

Needs the local cloud (run it under `flock /tmp/gc/cloud.lock`: it reads the cloud).
1. At scale: fills a temporary ledger with SYSTEMS systems (tests/billing/synthetic.py: a
   year of trials, go-lives, changes and terminations), starts the exporter as Prometheus
   would meet it (`python -OO -m provisioner.metering`, as deployed, utilisation read from the local cloud,
   one collection a minute), scrapes /metrics SCRAPES times as Prometheus does (gzip), then 3
   times plain; prints median/p90 scrape times, resident memory now and at its peak (goal
   <= 100 MB), the series count; then the same through the full CLI, and the uncached
   baseline (the same Collector behind prometheus_client's own server, rendering each scrape).
2. On the dev cloud, beside the peer: govcloud's exporter on a copy of the dev cloud's own
   ledger (the operator's is never written) against openstack-exporter with `--cache`, built
   from ../shared/peers/openstack-exporter-*.tar.gz with Go modules from the proxy into
   ~/.cache/govcloud/peers/ (about a minute, once; its code and binary are never committed).
   Scrapes alternate between the two (so load hits both alike); prints median scrape times,
   RSS, series counts, the ratios (goals: RSS <= 2x, median scrape <= 2x the peer's), and
   what each gives a billing job (the metric families, by how many series); and the floor:
   a process holding only the libraries the daemon imported in a `--once` run on the same
   ledger and cloud (bench/libraries_alone.py: Python, SQLAlchemy, pydantic, PyYAML,
   keystoneauth1, requests, prometheus_client, http.server; no govcloud code, no data).
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gzip as gzip_module
import http.client
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from benchenv import EXPORTER_DAEMON, own_environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
own_environment()        # the bench's own ledger and cloud settings, whatever the shell holds

from prometheus_client import CollectorRegistry, start_http_server  # noqa: E402

from provisioner.calendar import WorkCalendar  # noqa: E402
from provisioner.policy import Policies  # noqa: E402
from provisioner.ledger import Ledger  # noqa: E402
from provisioner.ledger.metering_schema import migrate_metering  # noqa: E402
from provisioner.metering.exporter import Exporter  # noqa: E402
from provisioner.metering.utilisation import NoUtilisation  # noqa: E402
from tests.billing import synthetic  # noqa: E402
from tests.billing.conftest import free_port, wait_for_http  # noqa: E402

CACHE = Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")
CLOUDS = CACHE / "devcloud" / "clouds.yaml"
PEERS = CACHE / "peers"
# ../shared/peers/ beside the repository (a worktree may sit deeper: the nearest such folder above it).
SHARED_PEERS = next((d / "shared" / "peers" for d in ROOT.parents if (d / "shared" / "peers").is_dir()), None)
GOAL_MS, GOAL_MB, GOAL_PEER_RATIO = 50.0, 100.0, 2.0


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
    """Resident memory now and at its peak, MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    field = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
    return int(field["VmRSS"]) / 1024, int(field["VmHWM"]) / 1024


def mib(value: float) -> str:
    return f"{value:.0f} MiB ({value * 1.048576:.0f} MB)"


def daemon_env(ledger_url: str) -> dict[str, str]:
    """What the exporter runs with here: the bench's ledger and the dev cloud."""
    return {**os.environ, "GOVCLOUD_LEDGER_URL": ledger_url, "OS_CLIENT_CONFIG_FILE": str(CLOUDS),
            "GOVCLOUD_ACTOR": "bench"}


def exporter_process(ledger_url: str, port: int, module: list[str]) -> subprocess.Popen:
    return subprocess.Popen([*module, "--listen", f"127.0.0.1:{port}", "--interval", "60"], cwd=ROOT,
                            env=daemon_env(ledger_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def body(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/metrics", headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return (gzip_module.decompress(raw) if response.getheader("Content-Encoding") == "gzip" else raw).decode()


def families(text: str) -> Counter:
    """Series per metric name (samples without the HELP/TYPE lines)."""
    return Counter(line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and line[0] != "#")


def collection_seconds(text: str) -> str:
    found = [line.split("{")[1].replace('"}', "").replace('source="', "") for line in text.splitlines()
             if line.startswith("govcloud_metering_source_duration_seconds{")]
    return ", ".join(f"{part.split()[0]} {float(part.split()[1]):.2f} s" for part in found)


def measure_govcloud(ledger_url: str, scrapes: int, module: list[str], label: str) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = exporter_process(ledger_url, port, module)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/metrics", proc, timeout=600)
        ready = time.perf_counter() - started
        first = memory(proc.pid)[0]            # after the first scrape (wait_for_http's)
        time.sleep(2)
        times, size = timings(port, scrapes)
        rss, peak = memory(proc.pid)
        plain, plain_size = timings(port, 3, gzip=False)
        after_plain = memory(proc.pid)[0]
        text = body(port)
        print(f"{label}: first /metrics after {ready:.1f} s (start-up and first collection); "
              f"{sum(families(text).values())} series")
        print(f"  gzip  ({size / 1e6:5.1f} MB): {describe(times)}")
        print(f"  plain ({plain_size / 1e6:5.1f} MB): {describe(plain)}")
        print(f"  RSS {mib(first)} after the first scrape, {mib(rss)} after {scrapes} gzip scrapes ({after_plain:.0f} MiB "
              f"after the plain ones), peak {mib(peak)} (goal <= {GOAL_MB:.0f} MB: "
              f"{'met' if rss * 1.048576 <= GOAL_MB else 'MISSED'}); collection: {collection_seconds(text)}")
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
    projects = {f"p{d}": _project({"id": f"p{d}", "name": f"city-dept{d:03d}",
                                   "tags": ["region=city", f"department=dept{d:03d}"]}) for d in range(300)}
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
    exporter = Exporter(ledger, Policies(ROOT).catalogue.flavors, WorkCalendar({}), NoUtilisation(),
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


# -- the peer: openstack-exporter --cache on the same cloud ------------------------------------

def build_peer() -> Path | None:
    """openstack-exporter from the shared source tarball, built once into ~/.cache/govcloud/peers/."""
    tarball = max(SHARED_PEERS.glob("openstack-exporter-*.tar.gz")) if SHARED_PEERS else None
    if tarball is None:
        print("peer: no openstack-exporter-*.tar.gz in a shared/peers/ folder above the repository")
        return None
    name = tarball.name.removesuffix(".tar.gz")
    binary = PEERS / name
    if binary.exists():
        return binary
    work = Path(tempfile.mkdtemp(prefix="peer-build-"))
    try:
        with tarfile.open(tarball) as archive:
            archive.extractall(work, filter="data")
        source = next(p.parent for p in work.rglob("go.mod"))
        PEERS.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        done = subprocess.run(["go", "build", "-o", str(binary), "."], cwd=source, capture_output=True, text=True,
                              timeout=1800, env={**os.environ, "GOFLAGS": "-buildvcs=false"})
        if done.returncode != 0:
            print(f"peer: `go build` of {tarball.name} failed (exit {done.returncode}):\n    "
                  + "\n    ".join(done.stderr.strip().splitlines()[-20:]))
            return None
        print(f"peer: built {name} in {time.perf_counter() - started:.0f} s into {PEERS}")
        return binary
    finally:
        shutil.rmtree(work, ignore_errors=True)


def peer_process(binary: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([str(binary), "--os-client-config", str(CLOUDS), "--web.listen-address",
                             f"127.0.0.1:{port}", "--cache", "govcloud-dev"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_series(port: int, prefix: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    """Until /metrics shows the exporter's own series (the peer's cache fills in the background)."""
    deadline = time.monotonic() + timeout
    wait_for_http(f"http://127.0.0.1:{port}/metrics", proc, timeout=timeout)
    while time.monotonic() < deadline:
        if sum(n for name, n in families(body(port)).items() if name.startswith(prefix)) > 10:
            return
        time.sleep(1)
    raise RuntimeError(f":{port} shows no {prefix}* series after {timeout:.0f} s")


def dev_cloud_ledger(folder: Path) -> str:
    """A copy of the dev cloud's ledger: the exporter adds utilisation windows to the one it reads. The
    operator's is only read: a writable connection's close checkpoints its write-ahead log, and even a
    read-only one leaves -wal and -shm files behind; with no log beside it, the file is all there is
    (immutable: nothing written, not even a lock)."""
    source = CACHE / "ledger.sqlite3"
    target = folder / "devcloud-ledger.sqlite3"
    if source.exists():
        logged = Path(f"{source}-wal").exists()
        src = sqlite3.connect(f"{source.as_uri()}?{'mode=ro' if logged else 'immutable=1'}", uri=True)
        try:
            with sqlite3.connect(target) as dst:
                src.backup(dst)
        finally:
            src.close()
    return f"sqlite:///{target}"


BILLING = (
    ("govcloud", "per system: granted now and granted x seconds since allocation (ledger counters, stamped, "
                 "monotonic, by phase: trial free), observed and used seconds, deadlines; a year's bill is "
                 "two samples per month"),
    ("openstack-exporter", "per project: quotas and usage now (gauges), one series per server, volume and "
                           "port; a bill must integrate gauges itself (a missed scrape is lost usage) and map "
                           "projects to departments and phases"),
)


def daemon_modules(ledger_url: str, folder: Path) -> Path:
    """The modules the daemon imports in one real collection (`--once`, -X importtime), one a line."""
    done = subprocess.run([EXPORTER_DAEMON[0], "-X", "importtime", *EXPORTER_DAEMON[1:], "--once"], cwd=ROOT,
                          env=daemon_env(ledger_url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    names = [line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    listing = folder / "daemon-modules.txt"
    listing.write_text("\n".join(name for name in names if name and " " not in name), encoding="utf-8")
    return listing


def libraries_alone(listing: Path) -> float:
    """Resident MiB of a process holding only the libraries in the listing (bench/libraries_alone.py)."""
    proc = subprocess.Popen([*EXPORTER_DAEMON[:2], str(ROOT / "bench" / "libraries_alone.py"), str(listing)],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        if not proc.stdout.readline().startswith("ready"):
            raise RuntimeError("bench/libraries_alone.py did not start")
        return memory(proc.pid)[0]
    finally:
        proc.communicate("")


def side_by_side(binary: Path, ledger_url: str, scrapes: int, floor: float) -> None:
    ports = {"govcloud": free_port(), "openstack-exporter": free_port()}
    procs = {"govcloud": exporter_process(ledger_url, ports["govcloud"], EXPORTER_DAEMON),
             "openstack-exporter": peer_process(binary, ports["openstack-exporter"])}
    try:
        wait_for_series(ports["govcloud"], "govcloud_", procs["govcloud"])
        wait_for_series(ports["openstack-exporter"], "openstack_", procs["openstack-exporter"])
        time.sleep(2)
        for port in ports.values():
            scrape(port)                                # a first scrape each, as Prometheus's
        first = {name: memory(proc.pid)[0] for name, proc in procs.items()}
        times: dict[str, list[float]] = {name: [] for name in ports}
        for _ in range(scrapes):                        # alternating: load hits both alike
            for name, port in ports.items():
                times[name].append(scrape(port)[0])
        rss = {name: memory(proc.pid)[0] for name, proc in procs.items()}
        peak = {name: memory(proc.pid)[1] for name, proc in procs.items()}
        texts = {name: body(port) for name, port in ports.items()}
    finally:
        for proc in procs.values():
            stop(proc)
    print(f"2. the dev cloud, scrapes alternating (n={scrapes} each, gzip), whole processes' resident memory:")
    for name in ports:
        counted = families(texts[name])
        print(f"  {name:19s} {describe(times[name])}; {sum(counted.values())} series in {len(counted)} metrics")
        print(f"  {'':19s} RSS {mib(first[name])} after the first scrape, {mib(rss[name])} after {scrapes + 1}, "
              f"peak {mib(peak[name])}")
    ratio_ms = statistics.median(times["govcloud"]) / statistics.median(times["openstack-exporter"])
    ratio_first = first["govcloud"] / first["openstack-exporter"]
    ratio_rss = rss["govcloud"] / rss["openstack-exporter"]
    print(f"  ratio govcloud / openstack-exporter: median scrape {ratio_ms:.2f}x (goal <= {GOAL_PEER_RATIO:g}x: "
          f"{'met' if ratio_ms <= GOAL_PEER_RATIO else 'MISSED'}), RSS after the first scrape {ratio_first:.2f}x, "
          f"after {scrapes + 1} {ratio_rss:.2f}x (goal <= {GOAL_PEER_RATIO:g}x: "
          f"{'met' if ratio_rss <= GOAL_PEER_RATIO else 'MISSED'})")
    print(f"  the floor: Python and the libraries the daemon imports, alone (no govcloud code, no data): "
          f"{mib(floor)}, {floor / rss['openstack-exporter']:.2f}x openstack-exporter; govcloud's own modules and "
          f"data hold the other {rss['govcloud'] - floor:.0f} MiB; the {GOAL_PEER_RATIO:g}x goal leaves them "
          f"{GOAL_PEER_RATIO * rss['openstack-exporter'] - floor:.0f} MiB")
    for name, gives in BILLING:
        top = ", ".join(f"{metric} {n}" for metric, n in families(texts[name]).most_common(6))
        print(f"  what {name} gives a billing job: {gives}\n      largest: {top}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--systems", type=int, default=10_000)
    parser.add_argument("--scrapes", type=int, default=50)
    parser.add_argument("--resources", type=int, default=40_000,
                        help="cloud resources for the inventory's in-process measure (default 40,000)")
    parser.add_argument("--skip-peer", action="store_true", help="part 1 only")
    args = parser.parse_args()
    peer = None if args.skip_peer else build_peer()       # before anything is timed
    work = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    url = f"sqlite:///{work / 'ledger.sqlite3'}"
    print(f"{os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          "(other work on this machine makes times noisy)")
    try:
        ledger = Ledger.open(url)
        migrate_metering(ledger.engine)
        started = time.perf_counter()
        count = synthetic.fill(ledger, args.systems, 2026, datetime.now(timezone.utc))
        ledger.close()
        print(f"1. ledger: {count} systems written in {time.perf_counter() - started:.1f} s")
        lean = measure_govcloud(url, args.scrapes, EXPORTER_DAEMON,
                                "govcloud exporter (python -OO -m provisioner.metering, as deployed)")
        without = measure_govcloud(url, args.scrapes, [*EXPORTER_DAEMON, "--inventory", "none"],
                                   "the same without the cloud inventory (--inventory none)")
        print(f"ratio with / without the inventory, median scrape: {lean / without:.2f}")
        measure_inventory_scaling(args.resources)
        measure_govcloud(url, 10, [str(ROOT / ".venv" / "bin" / "govcloud"), "exporter"],
                         "the same through the full CLI (`govcloud exporter`)")
        uncached = measure_uncached(url, max(3, args.scrapes // 10))
        print(f"ratio uncached / cached median: {uncached / lean:.0f}x")
        print(f"goal median <= {GOAL_MS:.0f} ms: {'met' if lean <= GOAL_MS else 'MISSED'}")
        if peer is not None:
            ledger_copy = dev_cloud_ledger(work)
            floor = libraries_alone(daemon_modules(ledger_copy, work))
            side_by_side(peer, ledger_copy, args.scrapes, floor)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
