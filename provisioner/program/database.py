"""Cloud databases where the cloud offers no Trove: the documented host + volume pattern.

Each database is a host of a `gc.db.*` flavor with a data volume. cloud-init
formats and mounts the volume where the engine keeps its data, installs the
package the catalogue names for the requested engine version (policies/catalogue.yaml,
from the image's repositories), and schedules a daily dump kept for the
requested retention (the security baseline's daily backups). A standby
(`high_availability`) is a second host on another compute node; replication is
set up by the department's DBA (art12: the unit runs its platform layer).
"""

from __future__ import annotations

import yaml

from provisioner.allocation.model import Server

# The provider's base image for database hosts (a domestic OS, as procured).
DATABASE_IMAGE = "kylin-v10-tiny"

# engine -> (data directory, dump command); the package is the version's (the catalogue's)
_ENGINES = {
    "mysql": ("/var/lib/mysql", "mysqldump --all-databases --single-transaction"),
    "postgresql": ("/var/lib/pgsql", "sudo -u postgres pg_dumpall"),
    "dm": ("/opt/dmdbms/data", "/opt/dmdbms/bin/dexp FULL=Y"),
    "kingbase": ("/opt/Kingbase/data", "/opt/Kingbase/bin/sys_dumpall"),
}
DATA_DEVICE = "/dev/vdb"
# The data volume is attached once the server exists, so at first boot cloud-init can
# run before the disk shows up; fs_setup would then skip it and the engine write to the
# root disk. bootcmd runs before disk setup and mounts, at every boot: wait for it.
DEVICE_WAIT_SECONDS = 600
DEFAULT_BACKUP_AT = (2, 30)   # when the request names no backup window


def backup_time(window: str | None) -> tuple[int, int]:
    """(hour, minute) the daily dump starts: the start of the requested window."""
    if not window:
        return DEFAULT_BACKUP_AT
    hour, minute = window.split("-", 1)[0].split(":")
    return int(hour), int(minute)


class UnknownVersion(ValueError):
    """The catalogue names no package for the requested version (policy refuses it first)."""


def database_user_data(server: Server) -> str:
    """The cloud-init document for one database host (deterministic: same input, same text)."""
    database = server.database
    assert database is not None, "a database host"
    if server.package is None:
        raise UnknownVersion(f"{database.engine} {database.version}: policies/catalogue.yaml names no package "
                             f"for this version (catalogue-database-engine)")
    package = server.package
    data_dir, dump = _ENGINES[database.engine]
    retention = database.backup.retention_days
    role = "primary" if server.primary else "standby"
    hour, minute = backup_time(database.backup.window)
    config = {
        "bootcmd": [["sh", "-c", f"for i in $(seq {DEVICE_WAIT_SECONDS}); do "
                                 f"[ -b {DATA_DEVICE} ] && exit 0; sleep 1; done; exit 0"]],
        "fs_setup": [{"device": DATA_DEVICE, "filesystem": "xfs", "overwrite": False}],
        "mounts": [[DATA_DEVICE, data_dir, "xfs", "defaults,nofail", "0", "2"]],
        "packages": [package],
        "write_files": [{
            "path": "/etc/cron.d/govcloud-db-backup",
            "permissions": "0644",
            "content": (f"# daily dump, kept {retention} days (security baseline)\n"
                        f"{minute} {hour} * * * root mkdir -p {data_dir}/backup && {dump} | gzip > "
                        f"{data_dir}/backup/$(date +\\%F).sql.gz && find {data_dir}/backup "
                        f"-name '*.sql.gz' -mtime +{retention} -delete\n"),
        }],
        "runcmd": [["sh", "-c", f"echo govcloud {database.engine} {database.version} {role} "
                                f"> /etc/govcloud-database"]],
    }
    return "#cloud-config\n" + yaml.safe_dump(config, sort_keys=True, allow_unicode=True)
