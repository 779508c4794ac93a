"""A cloud that does not answer: every request has a time limit, and its failure names the endpoint.

GOVCLOUD_CLOUD_TIMEOUT (Settings.cloud_timeout) is the one limit: openstacksdk connections
get it as `api_timeout` (keystoneauth applies it to connecting and to waiting for the
answer, the token request included), the provider plugin reads it from its environment
(engine/openstack/provider.go), the exporter's collectors use openstacksdk. openstacksdk
lets keystoneauth's connection errors through as they are; `unreachable` turns one into
the CloudError every command reports (exit 2).
"""

from __future__ import annotations

import re
import sys

from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError

SETTING = "GOVCLOUD_CLOUD_TIMEOUT"


def unreachable(exc: BaseException, timeout: float, refused: bool = True) -> CloudError | None:
    """The CloudError for a request the cloud did not answer in time (with `refused`, also one it
    refused to connect), naming the endpoint; None when `exc` (or what caused it) is something else."""
    errors = sys.modules.get("keystoneauth1.exceptions")
    if errors is None:                    # keystoneauth never loaded: no request was made
        return None
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, errors.ConnectTimeout):
            return CloudError(WORDS("cloud-timeout", timeout=f"{timeout:g}", url=_url(exc), setting=SETTING))
        if refused and isinstance(exc, errors.ConnectionError):
            return CloudError(WORDS("cloud-refused", url=_url(exc)))
        exc = exc.__cause__ or exc.__context__
    return None


def _url(exc: BaseException) -> str:
    match = re.search(r"(?:https?|HTTPS?)://[^\s:]+(?::\d+)?\S*", str(exc))
    return match.group(0).rstrip(".:,") if match else str(exc)
