"""The exporter: a background loop collects, scrapes are served from the last rendering.

    exporter = Exporter(ledger, flavors, calendar, source, registry=registry, interval=60)
    exporter.collect_once()            # first snapshot before listening
    exporter.start()                   # background thread
    server = serve(exporter, "127.0.0.1", 9787)

`registry` carries other metrics to serve alongside (the calendar's uncertain counter); the
metering families are rendered from the snapshot by collector.render, and are also
registered in `exporter.metering_registry` for anyone who wants them the slow way.

Each collection reads the ledger (timelines, live rows, deadline events), observes the
utilisation source over the window since the last observation (at most `max_gap`), adds
that window to the ledger if this process holds the `metering` lease, reads the cloud's
inventory (what runs, against what the ledger accounts for; inventory.py) when one is
given, builds the snapshot and renders the exposition once (plain and gzip). A scrape only copies those bytes out: it
never waits on OpenStack or the ledger, and 10,000 systems cost it nothing more than the
bytes. A failed source is reported (`govcloud_metering_source_up 0`) and the previous
values are kept.
"""

from __future__ import annotations

import ctypes
import gzip
import io
import logging
import os
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from provisioner.calendar import WorkCalendar
from provisioner.errors import GovcloudError
from provisioner.ledger import Ledger
from provisioner.ledger import leases
from provisioner.ledger.metering_schema import METERING_LEASE
from provisioner.metering import inventory as inventory_mod
from provisioner.metering import ledger_reader, recorder, snapshot
from provisioner.metering.collector import MeteringCollector, render
from provisioner.metering.ledger_reader import LedgerFacts
from provisioner.metering.resources import FlavorSize
from provisioner.metering.snapshot import Snapshot, SourceStatus
from provisioner.metering.utilisation import Totals, UtilisationSource, Window, granted_in

log = logging.getLogger("govcloud.exporter")
MAX_GAP = timedelta(hours=1)
# SQLite keeps up to 2 MiB of pages per connection; the exporter reads each row once a collection, in
# order, and the system's file cache serves the pages again: 256 KiB keeps 1.8 MiB less resident at
# 10,000 systems (bench/README.md). What Ledger.open is given for the exporter's own ledger.
LEDGER_PAGE_CACHE_KIB = 256
# gzip level of the rendered body, kept for every scrape: 6 against 1 makes it 25% smaller (0.6 MB
# less resident at 10,000 systems) for 0.2 s more CPU once a collection, never on a scrape.
BODY_GZIP_LEVEL = 6
# The most a plain (not gzip) scrape unpacks at a time (unpacked()).
PLAIN_PIECE = 1 << 16


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)



class Exporter:
    def __init__(self, ledger: Ledger, flavors: Mapping[str, FlavorSize], calendar: WorkCalendar,
                 source: UtilisationSource, *, registry: CollectorRegistry,
                 clock: Callable[[], datetime] = _utcnow, timer: Callable[[], float] = time.monotonic,
                 interval: float = 60.0, max_gap: timedelta = MAX_GAP,
                 inventory: inventory_mod.InventorySource | None = None,
                 release: Callable[[], None] | None = None) -> None:
        self.ledger, self.flavors, self.calendar, self.source = ledger, flavors, calendar, source
        self.inventory, self.release = inventory, release
        self._cloud: inventory_mod.Findings | None = None      # the last inventory read that succeeded
        self.timer = timer
        self.registry, self.clock, self.interval, self.max_gap = registry, clock, interval, max_gap
        self.snapshot: Snapshot | None = None
        self.body_gzip = b""
        self.body_length = 0
        self._previous: Snapshot | None = None
        self._window_start: datetime | None = None
        self._cumulative: Totals | None = None
        self._holder = leases.Holder(socket.gethostname(), os.getpid(), uuid.uuid4().hex[:8])
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reader = ledger_reader.LedgerReader(flavors, detail=False)
        limit_malloc_arenas()           # before any thread: the HTTP server's and the collection's
        self.metering_registry = CollectorRegistry()
        MeteringCollector(lambda: self.snapshot, registry=self.metering_registry)

    # -- one collection ---------------------------------------------------------------------

    def collect_once(self) -> Snapshot:
        now = self.clock()
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)   # exposition timestamps are milliseconds
        self._previous, self.snapshot = self.snapshot, None
        sources: dict[str, SourceStatus] = {}
        started = self.timer()
        try:
            with self.ledger.transaction() as conn:
                facts = self._reader.read(conn)
        except GovcloudError as exc:
            sources["ledger"] = SourceStatus(False, now.timestamp(), self.timer() - started, str(exc))
            return self._keep_previous(now, sources)
        sources["ledger"] = SourceStatus(True, now.timestamp(), self.timer() - started)
        self._previous = None       # freed before the new one is built: two snapshots never coexist
        sources[self.source.name] = self._observe(facts, now)
        if self.inventory is not None:
            sources[self.inventory.name] = self._read_inventory(facts, now)
        if self.release is not None:
            self.release()              # the cloud's listings are not kept between collections
        snap = snapshot.build(now, facts.timelines, facts.live, facts.outcomes,
                              self._cumulative or {}, self.calendar, sources, self._cloud)
        self._publish(snap)
        return snap

    def _read_inventory(self, facts: LedgerFacts, now: datetime) -> SourceStatus:
        """What runs in the cloud against the ledger; a failed read keeps the last findings."""
        assert self.inventory is not None
        started = self.timer()
        try:
            found = self.inventory.read(now)
        except GovcloudError as exc:
            log.warning("inventory source %s failed: %s", self.inventory.name, exc)
            return SourceStatus(False, now.timestamp(), self.timer() - started, str(exc))
        holding = inventory_mod.holding_keys((row.view.system_key, row.view.state) for row in facts.live)
        self._cloud = inventory_mod.findings(found, holding, frozenset(facts.names))
        return SourceStatus(True, now.timestamp(), self.timer() - started)

    def _observe(self, facts: LedgerFacts, now: datetime) -> SourceStatus:
        started = self.timer()
        if not self.source.measured:            # nothing to observe; still show what was recorded
            if self._cumulative is None:
                with self.ledger.transaction() as conn:
                    self._cumulative = recorder.read_cumulative(conn)
            return SourceStatus(True, now.timestamp(), self.timer() - started)
        try:
            window = Window(self._start_of_window(now), now)
            if window.seconds > 0:
                observation = self.source.observe(window, granted_in(facts.timelines, window, self.source.measured))
                self._store(observation, facts)
            self._window_start = now
            return SourceStatus(True, now.timestamp(), self.timer() - started)
        except GovcloudError as exc:
            log.warning("utilisation source %s failed: %s", self.source.name, exc)
            return SourceStatus(False, now.timestamp(), self.timer() - started, str(exc))

    def _start_of_window(self, now: datetime) -> datetime:
        start = self._window_start
        if start is None:
            with self.ledger.transaction() as conn:
                start = recorder.resume_from(conn)
        if start is None or start > now:
            start = now - timedelta(seconds=self.interval)
        return max(start, now - self.max_gap)

    def _store(self, observation: Any, facts: LedgerFacts) -> None:
        now = observation.window.end
        with self.ledger.transaction() as conn:
            lease = leases.acquire(conn, METERING_LEASE, self._holder, now=now,
                                   ttl=timedelta(seconds=max(3 * self.interval, 60)), is_alive=leases.pid_alive)
            if lease.acquired and self._cumulative is not None:
                added = recorder.record(conn, observation, facts.timelines)
                for totals in added.values():
                    recorder.add_into(self._cumulative, totals)
                return
            if lease.acquired:
                recorder.record(conn, observation, facts.timelines)
            self._cumulative = recorder.read_cumulative(conn)

    def _keep_previous(self, now: datetime, sources: dict[str, SourceStatus]) -> Snapshot:
        previous = self._previous or Snapshot(now)
        snap = Snapshot(**{**previous.__dict__, "sources": {**previous.sources, **sources}})
        self._publish(snap)
        return snap

    def _publish(self, snap: Snapshot) -> None:
        """Render once into gzip, family by family: the plain text is never held whole."""
        self.snapshot = snap
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=BODY_GZIP_LEVEL, mtime=0) as packed:
            packed.write(generate_latest(self.registry))
            for chunk in render(snap):
                packed.write(chunk)
        self.body_gzip, self.body_length = out.getvalue(), packed_length(out)
        _give_back_memory()

    @property
    def body(self) -> bytes:
        """The plain exposition (decompressed on demand: Prometheus asks for gzip)."""
        return gzip.decompress(self.body_gzip) if self.body_gzip else b""

    # -- the background loop ----------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="govcloud-exporter", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.collect_once()
            except Exception:  # noqa: BLE001 - the loop must outlive a bug in one collection
                log.exception("collection failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def unpacked(packed: bytes, piece: int = PLAIN_PIECE) -> Iterator[bytes]:
    """A gzip body's plain bytes, at most `piece` at a time. Bounded on the output side: the body packs
    ~25:1, so an input-sized step would unpack 1.6 MB at once, and glibc, having raised its mmap
    threshold past such blocks, would keep them in the heap: 8 MiB more resident after three plain
    scrapes at 10,000 systems until the next collection gave it back (bench/README.md)."""
    unpack = zlib.decompressobj(wbits=31)
    view = memoryview(packed)
    for start in range(0, len(view), piece):
        data = view[start:start + piece]
        while data:
            yield unpack.decompress(data, piece)
            data = unpack.unconsumed_tail
    tail = unpack.flush()
    if tail:
        yield tail


def packed_length(packed: io.BytesIO) -> int:
    """The plain length of a gzip member: its trailer's ISIZE (bodies stay far below 4 GiB)."""
    return int.from_bytes(packed.getbuffer()[-4:], "little")


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread its own malloc arena; the collection thread's would keep its peak.
    Fewer arenas keep the daemon's resident memory near what it uses (M_ARENA_MAX = -8). The same as
    MALLOC_ARENA_MAX=2 in the environment (deploy/govcloud-exporter.service sets it from the start)."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(-8, arenas)
    except (OSError, AttributeError):
        pass


def _give_back_memory() -> None:
    """Return freed heap to the OS after a collection (glibc keeps it otherwise; RSS would stay at the peak)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


# -- HTTP -------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    exporter: Exporter
    # HTTP/1.0: one response per connection, so a stopped server leaves no keep-alive
    # connection behind that would go on serving its last body.
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path not in ("/metrics", "/"):
            self._send(404, b"not found: try /metrics\n", "text/plain; charset=utf-8")
            return
        if not self.exporter.body_gzip:
            self._send(503, b"no collection yet\n", "text/plain; charset=utf-8")
            return
        packed = self.exporter.body_gzip
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            self._send(200, packed, CONTENT_TYPE_LATEST, {"Content-Encoding": "gzip"})
            return
        self._head(200, CONTENT_TYPE_LATEST, self.exporter.body_length)   # plain: unpacked as it is sent
        for piece in unpacked(packed):
            self.wfile.write(piece)

    def _head(self, status: int, content_type: str, length: int, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self._head(status, content_type, len(body), headers)
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s " + format, self.address_string(), *args)


def serve(exporter: Exporter, host: str, port: int) -> ThreadingHTTPServer:
    """Start serving /metrics in a daemon thread; `server.shutdown()` stops it."""
    handler = type("Handler", (_Handler,), {"exporter": exporter})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="govcloud-exporter-http", daemon=True).start()
    return server
