"""What a request asks for that this cloud does not build, by the catalogue's `offers` (pure).

Each refusal is at the field that asks, says what was asked and what the cloud offers
instead, so the department can change its request rather than learn of it halfway
through an `up`. Whether the cloud runs the service right now (Octavia, Manila, Neutron
QoS, Swift) is checked against the live cloud by preflight (provisioner.cloud.preflight).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from provisioner.allocation.kinds import SECURITY
from provisioner.allocation.model import Refusal
from provisioner.catalogue import Catalogue
from provisioner.spec.findings import Path, Words
from provisioner.spec.resources import Resources

_RES: Path = ("resources",)


def _listing(items: Sequence[str]) -> Words:
    if not items:
        return Words("无", "none")
    return Words("、".join(items), ", ".join(items))


def refusals(res: Resources, catalogue: Catalogue) -> tuple[Refusal, ...]:
    return (*_zone(res, catalogue), *_bandwidth(res, catalogue), *_balancers(res, catalogue),
            *_shares(res, catalogue), *_services(res, catalogue))


def _zone(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    zone = res.network.zone
    zones = catalogue.offers.network_zones
    if zone not in zones:
        yield Refusal(_RES + ("network", "zone"), Words(f"网络区域 {zone}", f"the network zone {zone}"),
                      Words(f"本云提供的网络区域：{_listing(sorted(zones)).zh}",
                            f"this cloud's zones: {_listing(sorted(zones)).en}"))


def _bandwidth(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    mbps = res.bandwidth.internet_mbps
    if mbps and not catalogue.offers.internet_bandwidth:
        yield Refusal(_RES + ("bandwidth", "internet_mbps"),
                      Words(f"互联网带宽 {mbps} Mbps", f"{mbps} Mbps of internet bandwidth"),
                      Words("本云不能限定公网 IP 的带宽", "this cloud cannot limit a public IP's bandwidth"))


def _balancers(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    offer = catalogue.offers.load_balancers
    for index, lb in enumerate(res.bandwidth.load_balancers):
        at = _RES + ("bandwidth", "load_balancers", index)
        if offer is None:
            yield Refusal(at, Words(f"负载均衡 {lb.name}", f"the load balancer {lb.name}"),
                          Words("本云不提供负载均衡", "this cloud offers no load balancers"))
            continue
        if lb.algorithm not in offer.algorithms:
            yield Refusal(at + ("algorithm",), Words(f"负载均衡 {lb.name} 的调度算法 {lb.algorithm}",
                                                     f"the algorithm {lb.algorithm} of load balancer {lb.name}"),
                          Words(f"本云的负载均衡（{offer.provider}）只提供：{_listing(offer.algorithms).zh}",
                                f"this cloud's load balancers ({offer.provider}) offer only: "
                                f"{_listing(offer.algorithms).en}"))
        for number, listener in enumerate(lb.listeners):
            if listener.protocol not in offer.protocols:
                yield Refusal(at + ("listeners", number, "protocol"),
                              Words(f"负载均衡 {lb.name} 的 {listener.protocol} 监听（端口 {listener.port}）",
                                    f"the {listener.protocol} listener (port {listener.port}) of load balancer {lb.name}"),
                              Words(f"本云的负载均衡（{offer.provider}）只做四层转发，监听协议只能是："
                                    f"{_listing(offer.protocols).zh}（无七层规则、无 TLS 卸载）",
                                    f"this cloud's load balancers ({offer.provider}) forward layer 4 only: "
                                    f"{_listing(offer.protocols).en} (no layer-7 rules, no TLS termination)"))


def _shares(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    offer = catalogue.offers.file_shares
    for index, share in enumerate(res.storage.shares):
        at = _RES + ("storage", "shares", index)
        if offer is None:
            yield Refusal(at, Words(f"文件存储 {share.name}", f"the file share {share.name}"),
                          Words("本云不提供文件存储", "this cloud offers no file shares"))
        elif share.protocol not in offer.protocols:
            yield Refusal(at + ("protocol",), Words(f"文件存储 {share.name} 的 {share.protocol} 协议",
                                                    f"the {share.protocol} protocol of file share {share.name}"),
                          Words(f"本云的文件存储只提供：{_listing(offer.protocols).zh}",
                                f"this cloud's file shares offer only: {_listing(offer.protocols).en}"))


def _services(res: Resources, catalogue: Catalogue) -> Iterator[Refusal]:
    offered = catalogue.offers.security_services
    for index, name in enumerate(res.security.services):
        if name not in offered:
            zh, en = SECURITY[name].zh, SECURITY[name].en
            yield Refusal(_RES + ("security", "services", index), Words(f"安全服务 {zh}（{name}）", f"the {en} ({name})"),
                          Words(f"服务商提供的安全服务：{_listing(offered).zh}",
                                f"the provider's security services: {_listing(offered).en}"))
