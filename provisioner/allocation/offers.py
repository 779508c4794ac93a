"""What a request asks for that this cloud does not build, by the catalogue's `offers` (pure).

Each refusal is at the field that asks, says what was asked and what the cloud offers
instead, so the department can change its request rather than learn of it halfway
through an `up`. Whether the cloud runs the service right now (Octavia, Manila, Neutron
QoS, Swift) is checked against the live cloud by preflight (provisioner.cloud.preflight).
"""

from __future__ import annotations

from collections.abc import Iterator

from provisioner.allocation.kinds import SECURITY
from provisioner.allocation.messages import WORDS
from provisioner.allocation.model import Refusal
from provisioner.catalogue import Catalogue
from provisioner.spec.findings import Path
from provisioner.spec.messages import Names
from provisioner.spec.resources import Resources

_RES: Path = ("resources",)


def refusals(res: Resources, catalogue: Catalogue) -> tuple[Refusal, ...]:
    return (*_zone(res, catalogue), *_bandwidth(res, catalogue), *_balancers(res, catalogue),
            *_shares(res, catalogue), *_services(res, catalogue))


def _zone(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    zone = res.network.zone
    zones = catalogue.offers.network_zones
    if zone not in zones:
        yield Refusal(_RES + ("network", "zone"), WORDS("refused-zone", zone=zone),
                      WORDS("offered-zones", zones=Names(sorted(zones))))


def _bandwidth(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    mbps = res.bandwidth.internet_mbps
    if mbps and not catalogue.offers.internet_bandwidth:
        yield Refusal(_RES + ("bandwidth", "internet_mbps"), WORDS("refused-bandwidth", mbps=mbps),
                      WORDS("offered-no-bandwidth"))


def _balancers(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    offer = catalogue.offers.load_balancers
    for index, lb in enumerate(res.bandwidth.load_balancers):
        at = _RES + ("bandwidth", "load_balancers", index)
        if offer is None:
            yield Refusal(at, WORDS("refused-load-balancer", name=lb.name), WORDS("offered-no-load-balancers"))
            continue
        if lb.algorithm not in offer.algorithms:
            yield Refusal(at + ("algorithm",), WORDS("refused-algorithm", name=lb.name, algorithm=lb.algorithm),
                          WORDS("offered-algorithms", provider=offer.provider, algorithms=Names(offer.algorithms)))
        for number, listener in enumerate(lb.listeners):
            if listener.protocol not in offer.protocols:
                yield Refusal(at + ("listeners", number, "protocol"),
                              WORDS("refused-listener", name=lb.name, protocol=listener.protocol, port=listener.port),
                              WORDS("offered-listeners", provider=offer.provider, protocols=Names(offer.protocols)))


def _shares(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    offer = catalogue.offers.file_shares
    for index, share in enumerate(res.storage.shares):
        at = _RES + ("storage", "shares", index)
        if offer is None:
            yield Refusal(at, WORDS("refused-share", name=share.name), WORDS("offered-no-shares"))
        elif share.protocol not in offer.protocols:
            yield Refusal(at + ("protocol",), WORDS("refused-share-protocol", name=share.name, protocol=share.protocol),
                          WORDS("offered-share-protocols", protocols=Names(offer.protocols)))


def _services(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    offered = catalogue.offers.security_services
    for index, name in enumerate(res.security.services):
        if name not in offered:
            yield Refusal(_RES + ("security", "services", index),
                          WORDS("refused-service", service=SECURITY[name].name, code=name),
                          WORDS("offered-services", services=Names(offered)))
