"""The rules of the security inspection of the running cloud (art20-21, art24; art12, art13).

Unlike the other rules here these look at what the cloud holds, not at a request:
`govcloud security-report` gathers security groups, elastic IPs, volumes and their
backups, images and the departments' accounts, and provisioner/inspection/checks.py
judges them. Their words and severities are the office's, in policies/inspection.yaml,
checked like every rule's (load.py).
"""

from __future__ import annotations

_EXPOSED = {"address", "server", "group", "source"}

PARAMS = {
    "inspect-admin-port-exposed": _EXPOSED | {"port", "service"},
    "inspect-internet-port-exposed": _EXPOSED | {"what", "allowed"},
    "inspect-http-exposed": _EXPOSED | {"what"},
    "inspect-secgroup-unapproved": {"group", "rule"},
    "inspect-secgroup-missing": {"group", "rule"},
    "inspect-backup-none": {"volume", "schedule"},
    "inspect-backup-stale": {"volume", "last", "age_days", "max_days"},
    "inspect-image-uncatalogued": {"server", "image"},
    "inspect-image-old": {"server", "image", "age_days", "max_days"},
    "inspect-password-rotation": {"user", "expires", "max_days"},
    "inspect-app-credential-rotation": {"user", "credential", "expires", "max_days"},
    "inspect-system-unrequested": {"system", "resources"},
}
