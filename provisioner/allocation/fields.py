"""What becomes of every field a request may write (request_specs/request-spec.schema.json).

No field is silently ignored: each one under `resources` is built (the allocation model
turns it into something the cloud makes, or refuses it at its line: cloud-unsupported),
ordered (a provider-run service, billed, on the terms written), or checked by policy
(the unit's own duty, art12/art20). Everything outside `resources` is a record the
lifecycle, the ledger and the policies read, not something the cloud makes.
tests/unit/test_field_coverage.py walks the schema and proves each entry true: changing
a built or ordered field changes the allocation (or refuses it), changing a policy field
changes the policy's findings.

Paths are dotted as in labels, `[]` standing for any item of a list.
"""

from __future__ import annotations

BUILT: dict[str, str] = {
    "network.cidr": "the subnet",
    "network.zone": "the external network of the router (policies/catalogue.yaml offers)",
    "hosts[].name": "server names",
    "hosts[].flavor": "the servers' flavor; vCPU and RAM billed",
    "hosts[].image": "the image of the system disk the server boots from",
    "hosts[].count": "how many servers",
    "hosts[].anti_affinity": "the anti-affinity server group",
    "hosts[].system_disk_gb": "the system disk volume (the flavor's size when omitted)",
    "hosts[].data_disks[].size_gb": "an attached data volume per server",
    "hosts[].data_disks[].volume_type": "its volume type",
    "databases[].name": "database host names",
    "databases[].engine": "the engine cloud-init installs, its data directory and dump",
    "databases[].version": "the package the catalogue names for the version",
    "databases[].flavor": "the database hosts' flavor",
    "databases[].storage_gb": "the data volume of each database host",
    "databases[].high_availability": "a standby host, kept apart",
    "databases[].backup.retention_days": "the daily dump's retention (cloud-init)",
    "databases[].backup.window": "when the daily dump starts (cloud-init)",
    "storage.volumes[].name": "a standalone volume",
    "storage.volumes[].size_gb": "its size",
    "storage.volumes[].volume_type": "its volume type",
    "storage.buckets[].name": "a Swift container",
    "storage.buckets[].quota_gb": "its quota",
    "storage.buckets[].public_read": "its read ACL",
    "storage.shares[].name": "a Manila share",
    "storage.shares[].size_gb": "its size",
    "storage.shares[].protocol": "its protocol (nfs; cifs refused)",
    "security.ingress[].protocol": "a security group rule",
    "security.ingress[].port": "its first port",
    "security.ingress[].port_max": "its last port",
    "security.ingress[].source": "its source",
    "security.ingress[].description": "its description",
    "bandwidth.internet_mbps": "the QoS bandwidth limit on each public IP (the tenant stack's grant)",
    "bandwidth.public_ips": "floating IPs on the first hosts",
    "bandwidth.load_balancers[].name": "an Octavia load balancer",
    "bandwidth.load_balancers[].members": "its members: the role's hosts",
    "bandwidth.load_balancers[].listeners[].protocol": "a listener and pool (tcp, udp; http, https refused)",
    "bandwidth.load_balancers[].listeners[].port": "the listener's port",
    "bandwidth.load_balancers[].listeners[].backend_port": "the members' port",
    "bandwidth.load_balancers[].algorithm": "the pool's algorithm (source_ip_port; others refused)",
    "bandwidth.load_balancers[].public": "a floating IP on its address",
}

ORDERED: dict[str, str] = {
    "security.services[]": "provider-run security services, billed per system (art20-24)",
    "security.backup.schedule": "the provider's backups (art13), on this schedule",
    "security.backup.retention_days": "kept this long",
    "security.backup.offsite": "with an off-site copy",
    "security.encryption.at_rest": "the provider's storage encryption (art24)",
    "security.encryption.algorithm": "with this algorithm",
}

POLICY: dict[str, str] = {
    "security.mlps_level": "the security baseline's level (art20): anti-affinity, audit services, crypto",
    "security.encryption.in_transit": "TLS in the unit's own applications (art12), checked by the baseline",
}

# Outside `resources`: records of who asks, with what materials, and the lifecycle (art14-19,
# art22-23), read by validation, policy, the ledger and the lifecycle; they build nothing.
RECORD_SECTIONS = ("apiVersion", "kind", "metadata", "applicant", "application", "approvals", "materials",
                   "migration", "trial", "acceptance", "change", "termination")
