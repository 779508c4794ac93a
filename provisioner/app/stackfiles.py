"""Stack files for the departments a merge request touches (not all of request_specs/).

apply.render reads every request to compute a tenant's quota; a tenant's quota only
needs its own department's folder (a spec's department is its folder: placement is
validated), so a plan in a repository of a thousand requests reads a few. The files
written are byte for byte what apply.render writes (same templates, same inputs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from provisioner.app import apply as apply_job
from provisioner.errors import SpecError
from provisioner.settings import Settings
from provisioner.stacks import config
from provisioner.allocation.quota import department_quota


@dataclass(frozen=True)
class Rendered:
    written: list[Path]                     # files whose content changed
    problems: dict[str, list[str]]          # tenant -> why it could not be rendered


def current_phase(path: Path) -> str | None:
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    value = (data.get("config") or {}).get("govcloud:phase")
    return str(value) if value else None


def render(settings: Settings, departments: list[str], systems: list[tuple[apply_job.Planned, str | None]]) -> Rendered:
    """Tenant files of `departments`, and system files of `systems` (planned, phase or None: keep the file's)."""
    catalogue = settings.policies.catalogue
    written: list[Path] = []
    problems: dict[str, list[str]] = {}
    for dept in sorted(set(departments)):
        files = sorted((settings.root / "request_specs" / dept).glob("*.yaml"))
        try:
            mine = apply_job.discover(settings.root, files) if files else []
        except SpecError as exc:
            problems[dept] = [str(p) for p in exc.problems]
            continue
        for tenant in sorted({item.tenant for item in mine}):
            specs = [item for item in mine if item.tenant == tenant]
            path = config.config_path(settings.root, tenant)
            text = config.render_tenant(path, cloud=settings.cloud, specs=[i.spec for i in specs],
                                        sources=[i.spec_path for i in specs],
                                        quota=department_quota([i.spec for i in specs], catalogue))
            if config.write_if_changed(path, text):
                written.append(path)
    for item, phase in systems:
        path = config.config_path(settings.root, item.system)
        text = config.render_system(path, cloud=settings.cloud, spec=item.spec, spec_path=item.spec_path,
                                    anti_affinity=settings.anti_affinity, phase=phase or current_phase(path) or "trial")
        if config.write_if_changed(path, text):
            written.append(path)
    return Rendered(written, problems)
