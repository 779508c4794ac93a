"""The exporter's HTTP side: /metrics from the last rendering, gzip or plain, never waiting on a collection."""

from __future__ import annotations

import gzip
import http.client
import threading
import time
from datetime import datetime, timezone

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry

from provisioner.calendar import WorkCalendar
from provisioner.ledger import Ledger
from provisioner.metering.exporter import Exporter, serve, unpacked
from provisioner.metering.utilisation import Observation, Window
from tests.billing.conftest import free_port
from tests.billing.helpers import Clock, live_system, local
from tests.lifecycle.helpers import flavors


def get(port: int, path: str = "/metrics", gzipped: bool = False) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


class SlowCloud:
    """A utilisation source that takes as long as the test says (an OpenStack API having a bad day)."""

    name, measured = "openstack", frozenset({"compute/cores"})

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()

    def observe(self, window: Window, granted: dict) -> Observation:
        self.entered.set()
        self.release.wait(30)
        return Observation(window, {}, self.measured)


def test_scrapes_are_served_from_the_last_rendering_even_while_openstack_hangs(ledger: Ledger) -> None:
    clock = Clock(local(2026, 3, 2, 9))
    live_system(ledger, clock, submitted=local(2026, 3, 2, 9), trial=local(2026, 3, 3, 10),
                go_live=local(2026, 3, 19, 10))
    clock.at(datetime.now(timezone.utc))
    source = SlowCloud()
    source.release.set()
    exporter = Exporter(ledger, flavors(), WorkCalendar({}), source, registry=CollectorRegistry(), interval=0.05)
    port = free_port()
    server = serve(exporter, "127.0.0.1", port)
    try:
        assert get(port)[0] == 503                      # before the first collection: nothing to say yet
        exporter.collect_once()
        status, headers, packed = get(port, gzipped=True)
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"] == CONTENT_TYPE_LATEST          # what generate_latest writes
        status, headers, plain = get(port)
        assert status == 200 and "Content-Encoding" not in headers and plain == gzip.decompress(packed) == exporter.body
        assert int(headers["Content-Length"]) == len(plain)
        assert get(port, "/nothing")[0] == 404
        source.release.clear()
        source.entered.clear()
        exporter.start()
        assert source.entered.wait(10)                  # a collection is now stuck in OpenStack
        started = time.monotonic()
        for _ in range(20):
            status, _, body = get(port, gzipped=True)
            assert status == 200 and body == packed
        assert (time.monotonic() - started) / 20 < 0.25
    finally:
        source.release.set()
        exporter.stop()
        server.shutdown()
        server.server_close()


def test_a_plain_scrape_is_unpacked_a_bounded_piece_at_a_time() -> None:
    # ~25:1 like the real body: an input-sized step would unpack a large block at once.
    plain = b"".join(b'govcloud_system_allocated{region="jj",system="s%06d"} 1\n' % i for i in range(40_000))
    packed = gzip.compress(plain, compresslevel=6, mtime=0)
    pieces = list(unpacked(packed, piece=4096))
    assert b"".join(pieces) == plain
    assert max(map(len, pieces)) <= 4096
    assert len(pieces) >= len(plain) // 4096
