"""Our provider build speaks the pulumi-openstack SDK's language: same tokens, same property names.

The plugin is built by scripts/build-engine from pulumi-terraform-bridge and
terraform-provider-openstack (the upstream provider module is not reachable
here), so these tests are what guarantees the PyPI SDK drives it correctly.
"""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pulumi
import pulumi_openstack
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r"'(openstack:[A-Za-z]+/[A-Za-z0-9]+:[A-Za-z0-9]+)'")
# Every resource type the govcloud program declares.
USED = [
    "openstack:identity/project:Project", "openstack:identity/roleAssignment:RoleAssignment",
    "openstack:networking/network:Network", "openstack:networking/subnet:Subnet",
    "openstack:networking/router:Router", "openstack:networking/routerInterface:RouterInterface",
    "openstack:networking/secGroup:SecGroup", "openstack:networking/secGroupRule:SecGroupRule",
    "openstack:networking/port:Port", "openstack:compute/instance:Instance",
    "openstack:compute/serverGroup:ServerGroup", "openstack:blockstorage/volume:Volume",
    "openstack:compute/volumeAttach:VolumeAttach", "openstack:compute/quotaSetV2:QuotaSetV2",
    "openstack:blockstorage/quoteSetV3:QuoteSetV3", "openstack:networking/quotaV2:QuotaV2",
    "openstack:networking/floatingIp:FloatingIp",
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
    "openstack:objectstorage/container:Container",
    "openstack:identity/user:User", "openstack:identity/applicationCredential:ApplicationCredential",
]


@pytest.fixture(scope="module")
def schema(engine_bin: Path, pulumi_home: Path) -> dict:
    plugin = next(pulumi_home.glob("plugins/resource-openstack-v*/pulumi-resource-openstack"))
    out = subprocess.run([str(engine_bin / "pulumi"), "package", "get-schema", str(plugin)],
                         check=True, capture_output=True, text=True,
                         env={"PULUMI_HOME": str(pulumi_home), "PULUMI_SKIP_UPDATE_CHECK": "true",
                              "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout)


def _sdk_args_classes() -> dict[str, type]:
    """Resource token -> its *Args class, read from the installed SDK.

    Through the packages' own (lazy) attributes, never by importing each file:
    pkgutil.walk_packages imports submodules before their package's `import *`
    has run, and left e.g. `pulumi_openstack.objectstorage` without `Container`
    for every later test in the same process."""
    classes = {}
    for sub in pkgutil.iter_modules(pulumi_openstack.__path__):
        package = getattr(pulumi_openstack, sub.name, None)
        if not sub.ispkg or package is None:
            continue
        getattr(package, "_utilities", None)   # any plain attribute makes Pulumi's lazy module load
        for name, obj in list(vars(package).items()):
            if isinstance(obj, type) and issubclass(obj, pulumi.CustomResource):
                module = sys.modules[obj.__module__]
                match = TOKEN.search(Path(module.__file__).read_text(encoding="utf-8"))
                args = getattr(module, f"{name}Args", None)
                if match and args is not None:
                    classes[match.group(1)] = args
    return classes


def _input_names(args_class: type) -> set[str]:
    return {prop.fget._pulumi_name for prop in vars(args_class).values()
            if isinstance(prop, property) and hasattr(prop.fget, "_pulumi_name")}


def test_token_list_matches_the_installed_sdk() -> None:
    listed = {line for line in (ROOT / "engine/openstack/sdk-tokens.txt").read_text().splitlines()
              if line and not line.startswith("#")}
    root = Path(pulumi_openstack.__file__).parent
    found = {m for f in root.rglob("*.py") for m in TOKEN.findall(f.read_text(encoding="utf-8"))}
    assert listed == found


@pytest.mark.parametrize("token", USED)
def test_every_used_resource_has_the_sdk_properties(schema: dict, token: str) -> None:
    assert token in schema["resources"], f"{token} missing from the provider schema"
    sdk = _input_names(_sdk_args_classes()[token])
    ours = set(schema["resources"][token]["inputProperties"])
    assert sdk - ours == set(), f"SDK inputs the provider does not know: {sorted(sdk - ours)}"


def test_every_sdk_token_exists_but_deprecated_index_aliases(schema: dict) -> None:
    listed = {line for line in (ROOT / "engine/openstack/sdk-tokens.txt").read_text().splitlines()
              if line and not line.startswith("#")}
    ours = set(schema["resources"]) | set(schema["functions"])
    # Upstream also registers some resources a second time under "index"
    # (deprecated aliases); this build serves each resource once.
    assert [t for t in sorted(listed - ours) if not t.startswith("openstack:index/")] == []
