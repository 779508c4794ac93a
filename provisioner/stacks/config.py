"""Stack configuration files (stacks/Pulumi.<stack>.yaml), rendered from request specs.

The file is what ops review in a merge request and what a hand-run `pulumi up`
reads, so govcloud writes it in full rather than through `pulumi config set`.
Keys Pulumi itself owns (the secrets salt) are carried over unchanged.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from provisioner.spec.model import RequestSpec
from provisioner.naming import qualified, tenant_stack
from provisioner.allocation.quota import Quota

CREDENTIALS_KEY = "govcloud:credentials"     # provisioner/rotation.py
# Written by `pulumi stack init` for the passphrase secrets provider; losing it
# would make the stack's secrets unreadable.
PULUMI_OWNED_KEYS = ("secretsprovider", "encryptedkey", "encryptionsalt")

_templates = Environment(loader=PackageLoader("provisioner.stacks", "templates"),
                         undefined=StrictUndefined, keep_trailing_newline=True)
# A JSON string is a valid YAML scalar; keep Chinese readable in the file.
_templates.filters["quoted"] = lambda value: json.dumps(value, ensure_ascii=False)


def config_path(root: Path, stack: str) -> Path:
    return root / "stacks" / f"Pulumi.{stack}.yaml"


def _preserved(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    current = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(key, str(current[key])) for key in PULUMI_OWNED_KEYS if key in current]


def render_tenant(path: Path, *, cloud: str, specs: list[RequestSpec], sources: list[str],
                  quota: Quota, bandwidth: dict[str, int] | None = None,
                  credentials: list[dict[str, str]] | None = None) -> str:
    """The tenant's stack file. The credentials' generations are rotation state (not from the
    requests): kept as the file has them unless `govcloud credentials rotate` sets them."""
    first = specs[0]
    if credentials is None:
        credentials = current_setting(path, CREDENTIALS_KEY) or []
    return _templates.get_template("tenant.yaml.j2").render(
        source=", ".join(sources), cloud=cloud, region=first.region, department=first.department,
        department_name=first.applicant.department_name, quota=asdict(quota), bandwidth=bandwidth or {},
        credentials=credentials, preserved=_preserved(path))


def current_setting(path: Path, key: str) -> object | None:
    """A govcloud setting as the stack file holds it now (None when absent)."""
    if not path.exists():
        return None
    return ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("config") or {}).get(key)


def render_system(path: Path, *, cloud: str, spec: RequestSpec, spec_path: str,
                  anti_affinity: str = "anti-affinity", phase: str | None = None,
                  release_protection: bool | None = None) -> str:
    """The system's stack file. Phase and protection are lifecycle state: kept as the file
    has them unless the lifecycle (promotion, termination) sets them."""
    if phase is None:
        phase = str(current_setting(path, "govcloud:phase") or "trial")
    if release_protection is None:
        release_protection = bool(current_setting(path, "govcloud:releaseProtection") or False)
    return _templates.get_template("system.yaml.j2").render(
        spec_path=spec_path, cloud=cloud, phase=phase, release_protection=release_protection,
        anti_affinity=anti_affinity,
        tenant_stack=qualified(tenant_stack(spec.region, spec.department)),
        preserved=_preserved(path))


def write_if_changed(path: Path, text: str) -> bool:
    """Write the file only when its content changes; say whether it did."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
