"""The city's regions as Keystone domains: provider infrastructure, not stacks.

The city and each of its 13 county-level divisions sign and pay separately
(art5, art31), so each is a Keystone domain holding its departments' projects
and users. No stack owns a domain: Keystone deletes every project and user in a
domain with it, so one `pulumi destroy` could take a whole county's systems.
The list is closed (provisioner.spec.formats.REGIONS), so ops create all the
domains once, like flavors and the external network, with `govcloud regions`;
running it again changes nothing. Tenant stacks only look their domain up.
"""

from __future__ import annotations

from dataclasses import dataclass

import keystoneauth1.exceptions
import openstack
from openstack.connection import Connection

from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError
from provisioner.spec.formats import REGIONS
from provisioner.naming import region_domain


@dataclass(frozen=True)
class DomainState:
    region: str
    domain: str
    created: bool


def ensure_domains(conn: Connection) -> list[DomainState]:
    """Create the domain of every region that lacks one; report each region's domain."""
    try:
        existing = {domain.name for domain in conn.identity.domains()}
        states = []
        for region, title in REGIONS.items():
            name = region_domain(region)
            if name not in existing:
                conn.identity.create_domain(name=name, description=title, is_enabled=True)
            states.append(DomainState(region, name, created=name not in existing))
        return states
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("domains-failed", reason=exc)) from exc
    except keystoneauth1.exceptions.ClientException as exc:   # no answer: down, or a wrong auth_url
        raise CloudError(WORDS("domains-no-answer", reason=first_clause(exc))) from exc


def first_clause(exc: Exception) -> str:
    """keystoneauth's message without urllib3's retry chain after it: its first clause names the
    endpoint (`Unable to establish connection to http://...:5000/v3/auth/tokens`)."""
    return str(exc).split(": HTTPConnectionPool(", 1)[0].split(" (Caused by", 1)[0]
