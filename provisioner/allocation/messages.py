"""The allocation package's words: the names of the kinds a request allocates, and what this
cloud does not build (allocation/offers.py), in Chinese and English (see provisioner/words.py)."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # the kinds (allocation/kinds.py), by "kind-" and their service/resource key
    "kind-compute-cores": ("云主机 vCPU", "vCPU"),
    "kind-compute-ram": ("云主机内存", "RAM"),
    "kind-volumev3-capacity": ("块存储", "block storage"),
    "kind-object-store-capacity": ("对象存储", "object storage"),
    "kind-network-floating-ips": ("弹性公网 IP", "floating IPs"),
    "kind-database-instances": ("云数据库实例", "database instances"),
    "kind-network-bandwidth": ("互联网带宽", "internet bandwidth"),
    "kind-load-balancer-loadbalancers": ("负载均衡", "load balancers"),
    "kind-sharev2-capacity": ("文件存储", "file storage"),
    "kind-security-waf": ("Web 应用防火墙", "web application firewall"),
    "kind-security-bastion": ("堡垒机", "bastion host"),
    "kind-security-vulnerability-scan": ("漏洞扫描", "vulnerability scanning"),
    "kind-security-log-audit": ("日志审计", "log audit"),
    "kind-security-database-audit": ("数据库审计", "database audit"),
    "kind-security-host-security": ("主机安全", "host security"),
    "kind-security-tamper-protection": ("网页防篡改", "web tamper protection"),
    "kind-security-certificate": ("证书服务", "certificates"),
    # asked for in resources.security.backup / encryption rather than in `services`
    "kind-security-backup": ("备份服务", "backup service"),
    "kind-security-encryption": ("存储加密", "encryption at rest"),
    # what this cloud does not build (allocation/offers.py): what was asked, and what is offered instead
    "refused-zone": ("网络区域 {zone}", "the network zone {zone}"),
    "offered-zones": ("本云提供的网络区域：{zones}", "this cloud's zones: {zones}"),
    "refused-bandwidth": ("互联网带宽 {mbps} Mbps", "{mbps} Mbps of internet bandwidth"),
    "offered-no-bandwidth": ("本云不能限定公网 IP 的带宽", "this cloud cannot limit a public IP's bandwidth"),
    "refused-load-balancer": ("负载均衡 {name}", "the load balancer {name}"),
    "offered-no-load-balancers": ("本云不提供负载均衡", "this cloud offers no load balancers"),
    "refused-algorithm": ("负载均衡 {name} 的调度算法 {algorithm}", "the algorithm {algorithm} of load balancer {name}"),
    "offered-algorithms": ("本云的负载均衡（{provider}）只提供：{algorithms}",
                           "this cloud's load balancers ({provider}) offer only: {algorithms}"),
    "refused-listener": ("负载均衡 {name} 的 {protocol} 监听（端口 {port}）",
                         "the {protocol} listener (port {port}) of load balancer {name}"),
    "offered-listeners": ("本云的负载均衡（{provider}）只做四层转发，监听协议只能是：{protocols}（无七层规则、无 TLS 卸载）",
                          "this cloud's load balancers ({provider}) forward layer 4 only: {protocols} "
                          "(no layer-7 rules, no TLS termination)"),
    "refused-share": ("文件存储 {name}", "the file share {name}"),
    "offered-no-shares": ("本云不提供文件存储", "this cloud offers no file shares"),
    "refused-share-protocol": ("文件存储 {name} 的 {protocol} 协议", "the {protocol} protocol of file share {name}"),
    "offered-share-protocols": ("本云的文件存储只提供：{protocols}", "this cloud's file shares offer only: {protocols}"),
    "refused-service": ("安全服务 {service}（{code}）", "the {service} ({code})"),
    "offered-services": ("服务商提供的安全服务：{services}", "the provider's security services: {services}"),
})
