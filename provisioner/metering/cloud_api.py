"""The operator's REST reads of OpenStack for metering and billing, on a keystoneauth1 session (edge).

    api = CloudApi.connect(clouds_file, "govcloud-dev", timeout=30)        # the operator's project
    scoped = api.scoped(project_id)                                        # the same account in another
    for server in api.servers(): ...                                      # plain JSON dicts

openstacksdk imports every service's proxy and resource classes when imported (~500 modules,
~13 MiB resident) and reads clouds.yaml through its own config loader; the exporter runs for
months and lists six kinds. So it talks to those APIs directly: Nova, Cinder, Neutron, Keystone
and Swift, through keystoneauth1 (the library openstacksdk authenticates with: the token, the
catalogue, the endpoint's version discovery), and follows the APIs' own pagination links.

The clouds.yaml entry is read as govcloud writes one (scripts/devcloud, deploy/README.md): its
`auth` (a password: auth_url, username, password, a project and domains), `region_name`,
`interface`, `cacert`, `verify`. Nothing from the environment (provisioner.cloud.credentials).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from provisioner.errors import ConfigError
from provisioner.metering.messages import WORDS

# Nova returns a server's flavor embedded (vCPUs, RAM, disk, original name) from 2.47 on, its tags from 2.26.
NOVA_MICROVERSION = "2.47"
_AUTH_KEYS = ("auth_url", "username", "password", "project_name", "project_id", "user_domain_name",
              "user_domain_id", "project_domain_name", "project_domain_id", "user_id")


def read_entry(clouds_file: Path, cloud: str) -> Mapping[str, Any]:
    """The named entry of a clouds.yaml, with its auth as a password plugin takes it."""
    import yaml

    try:
        entry = (yaml.safe_load(Path(clouds_file).read_text(encoding="utf-8")) or {}).get("clouds", {})[cloud]
    except (OSError, yaml.YAMLError, KeyError, AttributeError, TypeError) as exc:
        raise ConfigError(WORDS("clouds-entry-unusable", file=clouds_file, cloud=cloud,
                                error=f"{type(exc).__name__}: {exc}")) from exc
    auth = entry.get("auth") or {}
    if not all(auth.get(key) for key in ("auth_url", "username", "password")):
        raise ConfigError(WORDS("clouds-entry-auth", file=clouds_file, cloud=cloud))
    return entry


class CloudApi:
    """One authenticated session and the few reads metering makes; each read raises on an HTTP error."""

    def __init__(self, session: Any, entry: Mapping[str, Any]) -> None:
        self.session, self.entry = session, entry
        self._adapters: dict[str, Any] = {}

    @classmethod
    def connect(cls, clouds_file: Path, cloud: str, timeout: float | None = None,
                project_id: str | None = None) -> CloudApi:
        return cls._session(read_entry(clouds_file, cloud), timeout, project_id)

    @classmethod
    def _session(cls, entry: Mapping[str, Any], timeout: float | None, project_id: str | None) -> CloudApi:
        from keystoneauth1.identity.v3 import Password
        from keystoneauth1.session import Session

        auth = {k: v for k, v in (entry.get("auth") or {}).items() if k in _AUTH_KEYS}
        if project_id is not None:      # the same account, scoped to a department's project
            auth = {k: v for k, v in auth.items() if not k.startswith("project_")}
            auth["project_id"] = project_id
            if "user_domain_id" not in auth:
                auth.setdefault("user_domain_name", "Default")
        verify = False if entry.get("verify") is False else (entry.get("cacert") or True)
        return cls(Session(auth=Password(**auth), verify=verify, timeout=timeout), entry)

    def scoped(self, project_id: str) -> CloudApi:
        return self._session(self.entry, self.session.timeout, project_id)

    # -- plumbing ---------------------------------------------------------------------------

    def _adapter(self, service_type: str, version: str | None = None) -> Any:
        found = self._adapters.get(service_type)
        if found is None:
            from keystoneauth1.adapter import Adapter

            found = self._adapters[service_type] = Adapter(
                self.session, service_type=service_type, interface=self.entry.get("interface") or "public",
                region_name=self.entry.get("region_name") or None, version=version)
        return found

    def has_service(self, service_type: str) -> bool:
        from keystoneauth1.exceptions import EndpointNotFound

        try:
            return bool(self._adapter(service_type).get_endpoint())
        except EndpointNotFound:
            return False

    def get(self, service_type: str, path: str, version: str | None = None, **kwargs: Any) -> Any:
        """One GET under the service's endpoint (raises keystoneauth1's HttpError on 4xx/5xx)."""
        return self._adapter(service_type, version).get(path, **kwargs)

    def _pages(self, service_type: str, path: str, key: str, version: str | None = None,
               params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None) -> Iterator[dict]:
        """Every item of a listing, following its `<key>_links` (Nova, Cinder, Neutron) or `links` (Keystone)."""
        adapter = self._adapter(service_type, version)
        body = adapter.get(path, params=dict(params or {}), headers=dict(headers or {})).json()
        while True:
            yield from body.get(key) or []
            links = body.get(f"{key}_links") or []
            if isinstance(body.get("links"), dict):
                links = [{"rel": "next", "href": body["links"].get("next")}]
            following = next((link["href"] for link in links if link.get("rel") == "next" and link.get("href")), None)
            if following is None or not body.get(key):
                return
            body = adapter.get(following, headers=dict(headers or {})).json()     # an absolute URL

    # -- the reads --------------------------------------------------------------------------

    def servers(self) -> Iterator[dict]:
        return self._pages("compute", "/servers/detail", "servers", params={"all_tenants": 1},
                           headers={"OpenStack-API-Version": f"compute {NOVA_MICROVERSION}"})

    def tenant_usage(self, params: Mapping[str, Any]) -> Any:
        """Nova's os-simple-tenant-usage at the base microversion (one page, every server); the response."""
        return self._adapter("compute").get("/os-simple-tenant-usage", params=dict(params), raise_exc=False)

    def volumes(self) -> Iterator[dict]:
        return self._pages("block-storage", "/volumes/detail", "volumes", params={"all_tenants": 1})

    def neutron(self, collection: str) -> Iterator[dict]:
        """A Neutron collection (floatingips, networks, subnets, routers, security-groups), all projects."""
        return self._pages("network", f"/{collection}", collection.replace("-", "_"), version="2.0")

    def projects(self) -> Iterator[dict]:
        return self._pages("identity", "/projects", "projects", version="3")

    def users(self) -> Iterator[dict]:
        return self._pages("identity", "/users", "users", version="3")

    def application_credentials(self, user_id: str) -> Iterator[dict]:
        from urllib.parse import quote

        return self._pages("identity", f"/users/{quote(user_id)}/application_credentials", "application_credentials",
                           version="3")

    def containers(self) -> Iterator[dict]:
        """This project's Swift containers (name, bytes), a page of up to 10,000 at a time."""
        adapter = self._adapter("object-store")
        marker = None
        while True:
            page = adapter.get("", params={"format": "json", **({"marker": marker} if marker else {})}).json()
            yield from page
            if not page:
                return
            marker = page[-1]["name"]

    def container_metadata(self, name: str) -> dict[str, str]:
        """A container's metadata (X-Container-Meta-*), keys without the prefix as Swift gives them."""
        from urllib.parse import quote

        headers = self._adapter("object-store").head(f"/{quote(name)}").headers
        prefix = "x-container-meta-"
        return {k[len(prefix):]: v for k, v in headers.items() if k.lower().startswith(prefix)}
