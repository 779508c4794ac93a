"""Prometheus' HTTP API, the little the billing job asks of it (edge).

    prom = Prometheus("http://127.0.0.1:9090")
    prom.instant('govcloud_system_allocated_seconds_total', at)   # [(labels, value)]

Errors (refused connection, HTTP error, a query error) become PrometheusError (exit 2),
keeping Prometheus' own message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

from provisioner.billing.crosscheck import COUNTER, SNAPSHOT, Boundary, boundary
from provisioner.billing.messages import WORDS
from provisioner.errors import InfraError

Result = list[tuple[dict[str, str], float]]


class PrometheusError(InfraError):
    """Prometheus did not answer, or refused the query (exit 2)."""


class Prometheus:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def instant(self, query: str, at: datetime) -> Result:
        params = urllib.parse.urlencode({"query": query, "time": f"{at.timestamp():.3f}"})
        request = urllib.request.Request(f"{self.url}/api/v1/query", data=params.encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise PrometheusError(WORDS("prometheus-http-error", url=self.url, status=exc.code, query=repr(query),
                                        detail=detail)) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PrometheusError(WORDS("prometheus-unreachable", url=self.url, error=exc)) from exc
        if body.get("status") != "success" or body["data"]["resultType"] != "vector":
            raise PrometheusError(WORDS("prometheus-refused", query=repr(query), error=body.get("error", body)))
        return [(item["metric"], float(item["value"][1])) for item in body["data"]["result"]]


def boundaries(prom: Prometheus, moments: list[datetime]) -> list[Boundary]:
    """What Prometheus knew at each moment: the counters, their sample times, the newest snapshot."""
    return [boundary(at, prom.instant(COUNTER, at), prom.instant(f"timestamp({COUNTER})", at),
                     prom.instant(SNAPSHOT, at)) for at in moments]
