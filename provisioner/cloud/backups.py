"""Final backups of a system's volumes before termination (art19, art25).

Cinder on the reference cloud cannot back up an attached volume (the NFS
driver waits for an assisted snapshot the compute driver never makes), so each
volume is detached first. Nova refuses to detach a server's root volume (its
system disk, "Cannot detach a root device volume"): a server booted from a volume
is taken offline first, deleted with its volume kept (the program boots it with
delete_on_termination off), so that its system disk is backed up like the rest;
the stack's destroy later finds it gone. Every
backup is verified (available, same size) before anything is destroyed; any
failure raises CloudError and leaves the volumes, detached, in place.

Each verified backup comes with what the unit's hand-over record lists (art25): its
export record (`cinder backup-export`, an admin call: the handle that imports it into
any Cinder) and that record's sha256, since Cinder's API gives no checksum of a
backup's data (provisioner.lifecycle.handover.EXPORT_RECORD says what it covers).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from dataclasses import dataclass

import openstack
from openstack.connection import Connection

from provisioner.cloud.credentials import entry, operator_auth
from provisioner.cloud.lookups import by_id
from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError
from provisioner.lifecycle.handover import EXPORT_RECORD
from provisioner.settings import Settings
from provisioner.words import Text

WAIT_SECONDS = 600


@dataclass(frozen=True)
class BackupRecord:
    """What the department is handed for one volume (art25: the data is theirs)."""

    volume_id: str
    volume_name: str
    size_gb: int
    backup_id: str
    backup_name: str
    checksum_sha256: str = ""       # of the export record (checksum_covers), never of data it did not read
    checksum_covers: str = ""
    location: str = ""              # the backup service and its container
    created_at: str = ""
    export_record: dict[str, str] | None = None   # backup_service, backup_url: `cinder backup-import` takes them


def connect_project(settings: Settings, project_id: str) -> Connection:
    """The operator inside a department's project (see provisioner.cloud.credentials)."""
    auth = operator_auth(settings.clouds_file, settings.cloud)
    try:
        return openstack.connect(auth_url=auth.auth_url, username=auth.username,
                                 password=auth.password, user_domain_name=auth.user_domain_name,
                                 project_id=project_id, region_name=auth.region_name,
                                 load_yaml_config=False, load_envvars=False, api_timeout=settings.cloud_timeout)
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("connect-project", project=project_id, reason=exc)) from exc


def connect_operator(settings: Settings) -> Connection:
    """The operator in its own project, as the clouds.yaml entry says (and nothing else)."""
    try:
        return Connection(config=entry(settings.clouds_file, settings.cloud, api_timeout=settings.cloud_timeout))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("connect-cloud", cloud=settings.cloud, reason=exc)) from exc


def back_up_system(conn: Connection, system: str) -> list[BackupRecord]:
    """Detach, back up and verify every volume of one system; `conn` is scoped to its project."""
    volumes = [v for v in conn.block_storage.volumes(details=True)
               if (v.metadata or {}).get("govcloud_system") == system]
    return _back_up(conn, system, volumes, "final", "govcloud final backup of {system} (art19)")


def back_up_volumes(conn: Connection, system: str, volume_ids: list[str]) -> list[BackupRecord]:
    """Detach, back up and verify these volumes of one system, which an approved change removes
    (art18); its other volumes are not touched. `conn` is scoped to the system's project."""
    try:
        volumes = [conn.block_storage.get_volume(volume_id) for volume_id in volume_ids]
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("backup-volumes-failed", system=system, reason=exc)) from exc
    return _back_up(conn, system, volumes, "removed",
                    "govcloud backup of {system} before an approved change removes the volume (art18)")


def _back_up(conn: Connection, system: str, volumes: list, kind: str, description: str) -> list[BackupRecord]:
    try:
        for volume in volumes:
            _detach(conn, volume)
        return [_backup(conn, volume, f"{system}-{kind}-{volume.name}", description.format(system=system))
                for volume in volumes]
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("backup-volumes-failed", system=system, reason=exc)) from exc


def _detach(conn: Connection, volume) -> None:
    for attachment in volume.attachments or []:
        server = by_id(conn.compute.get_server, attachment["server_id"])
        if server is None:
            continue            # taken offline with an earlier root volume of the system
        if attachment.get("device") == (server.root_device_name or "/dev/vda"):
            conn.compute.delete_server(server.id)
            conn.compute.wait_for_delete(server, wait=WAIT_SECONDS)
            continue
        conn.compute.delete_volume_attachment(attachment["server_id"], volume.id)
    _wait(lambda: conn.block_storage.get_volume(volume.id).status == "available",
          WORDS("backup-volume-detached", name=volume.name))


def _backup(conn: Connection, volume, name: str, description: str) -> BackupRecord:
    backup = conn.block_storage.create_backup(volume_id=volume.id, name=name, force=False, description=description)

    def ready() -> bool:
        status = conn.block_storage.get_backup(backup.id).status
        if status == "error":
            raise CloudError(WORDS("backup-failed", name=name))
        return status == "available"

    _wait(ready, WORDS("backup-of", name=name))
    done = conn.block_storage.get_backup(backup.id)
    if done.size != volume.size:
        raise CloudError(WORDS("backup-size", name=name, backup=done.size, volume=volume.size))
    return _record(conn, done, volume.id, volume.name)


def _record(conn: Connection, done, volume_id: str, volume_name: str) -> BackupRecord:
    """What the unit is handed for a verified backup (its export record, that record's checksum)."""
    exported = export_record(conn, done.id)
    return BackupRecord(volume_id, volume_name, done.size, done.id, done.name,
                        checksum_sha256=hashlib.sha256(_canonical(exported)).hexdigest(),
                        checksum_covers=EXPORT_RECORD, location=_location(exported, done),
                        created_at=str(done.created_at or ""), export_record=exported)


def removal_backups(conn: Connection, system: str, volume_ids: list[str]) -> list[BackupRecord]:
    """The verified backups made of these volumes before an approved change released them
    (back_up_volumes), found by their name and volume in Cinder: for the up that deleted them
    when the run that made the backups was killed before it could say so. The newest of each;
    none for a volume nobody backed up (a trial's, whose data is not protected). Read-only. The volumes
    are gone when it runs: a failure says so, with where their backups are (never "nothing was destroyed")."""
    prefix = f"{system}-removed-"
    found = []
    try:
        for volume_id in volume_ids:
            made = [b for b in conn.block_storage.backups(details=True, volume_id=volume_id)
                    if (b.name or "").startswith(prefix) and b.status == "available"]
            if made:
                newest = max(made, key=lambda b: str(b.created_at or ""))
                found.append(_record(conn, newest, volume_id, newest.name[len(prefix):]))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("removal-backups-unread", system=system, volumes=", ".join(volume_ids),
                               prefix=prefix, reason=exc)) from exc
    except CloudError as exc:           # the export record: its words are a backup's, before anything went
        raise CloudError(WORDS("removal-backups-unread", system=system, volumes=", ".join(volume_ids),
                               prefix=prefix, reason=_unsaid(exc))) from exc
    return found


def _unsaid(exc: CloudError) -> Text | CloudError:
    """An export record's failure without its "nothing was destroyed" (said where a backup comes first)."""
    said = exc.args[0] if exc.args else None
    if isinstance(said, Text) and said.key in ("backup-no-record", "backup-record-incomplete"):
        return WORDS(f"{said.key}-read", **said.values)
    return exc


def export_record(conn: Connection, backup_id: str) -> dict[str, str]:
    """The backup's export record: {backup_service, backup_url} as Cinder gives them."""
    response = conn.block_storage.get(f"/backups/{backup_id}/export_record")
    if response.status_code != 200:
        raise CloudError(WORDS("backup-no-record", backup=backup_id, status=response.status_code,
                               answer=response.text[:200]))
    record = response.json().get("backup-record") or {}
    if not record.get("backup_service") or not record.get("backup_url"):
        raise CloudError(WORDS("backup-record-incomplete", backup=backup_id))
    return {"backup_service": record["backup_service"], "backup_url": record["backup_url"]}


def _canonical(record: dict[str, str]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _location(exported: dict[str, str], backup) -> str:
    """Where the backup's objects are: the backup service (driver) and its container, as Cinder says."""
    container = backup.container
    try:
        described = json.loads(base64.b64decode(exported["backup_url"]))
        container = described.get("container") or container
    except (binascii.Error, ValueError):
        pass            # the service's own encoding: the backup's container field stands
    return f"{exported['backup_service']}, container {container or '?'}, availability zone {backup.availability_zone or '?'}"


def _wait(ready, what: Text) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise CloudError(WORDS("backup-wait-timeout", what=what))
        time.sleep(2)
