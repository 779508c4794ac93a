# shellcheck shell=bash
# cinder.sh: the Cinder config (NFS driver on a bind-mounted local directory, posix backup),
# its db sync, the bind mount and cinder-api under uwsgi on :8776, cinder-scheduler,
# cinder-volume and cinder-backup.
# Health: devcloud.py's `cinder` check (volume types list) and `cinder_pools` (scheduler,
# volume and backup up; pool cb-storage@nfs1#nfs1 known).

# ---------------------------------------------------------------------------------------------
# Cinder (api under uwsgi :8776, scheduler, volume with the NFS driver, backup to a local dir)
# ---------------------------------------------------------------------------------------------
cinder_mountpoint() {
  # os-brick mounts share S at <nfs_mount_point_base>/<md5(S)>.
  echo "$DATA/cinder/mnt/$(printf '%s' "$CINDER_SHARE" | md5sum | cut -d' ' -f1)"
}

write_cinder_conf() {
  local c=$DATA/cinder
  mkdir -p "$ETC/cinder" "$c/tmp" "$c/backups" "$c/volumes" "$c/mnt"
  echo "$CINDER_SHARE" >"$ETC/cinder/nfs_shares"
  cat >"$ETC/cinder/cinder.conf" <<EOF
[DEFAULT]
$(common_default)
host = $STORAGE_HOST
my_ip = $IP
state_path = $c
api_paste_config = /etc/cinder/api-paste.ini
osapi_volume_listen = $IP
auth_strategy = keystone
enabled_backends = nfs1
default_volume_type = nfs1
rootwrap_config = /etc/cinder/rootwrap.conf
backup_driver = cinder.backup.drivers.posix.PosixBackupDriver
backup_posix_path = $c/backups
# zstd, not Cinder's default zlib: the posix driver reads and compresses every byte of a
# volume, zeros of a sparse one too; on this machine zlib packs zeros at ~140 MB/s and zstd at
# ~900 MB/s (random data 28 against 345 MB/s), so a 20 GB system disk's backup at termination
# takes ~2.5 min with zlib. python3-cinder depends on python3-zstd; backups made with zlib
# keep restoring (each object records its algorithm).
backup_compression_algorithm = zstd
[database]
connection = $(db_url cinder)
[oslo_concurrency]
lock_path = $c/tmp
$(no_notifications)
$(ksat cinder)
$(svc_auth nova cinder)
$(svc_auth service_user cinder "send_service_user_token = true")
[nfs1]
# The NFS driver on a share that is never NFS-mounted: its mount point is a bind mount of a
# local dir (setup_cinder_mount), so os-brick finds it "already mounted". LVM is impossible here
# (no device-mapper); volumes are sparse raw files in $c/volumes.
volume_driver = cinder.volume.drivers.nfs.NfsDriver
volume_backend_name = nfs1
nfs_shares_config = $ETC/cinder/nfs_shares
nfs_mount_point_base = $c/mnt
nas_secure_file_permissions = false
nas_secure_file_operations = false
nfs_snapshot_support = true
nfs_sparsed_volumes = true
# Volumes are sparse files on the machine's own disk: let requests for the
# realistic sizes of the samples (TBs in all) fit, as thin provisioning does.
max_over_subscription_ratio = 1000
reserved_percentage = 0
EOF
  # cinder-api reads its config from sys.argv (pyargv), there is no env variable for it.
  write_uwsgi_ini cinder-api 8776 /usr/bin/cinder-wsgi 1 4 \
    "pyargv = --config-file $ETC/cinder/cinder.conf"
}

setup_cinder() {
  local c=$ETC/cinder/cinder.conf h
  h=$(conf_hash python3-cinder "$c")
  marker_ok cinder "$h" && return 0
  run_logged cinder cinder-manage --config-file "$c" db sync
  mark cinder "$h"
}

setup_cinder_mount() {
  local mp
  mp=$(cinder_mountpoint)
  mkdir -p "$mp"
  mountpoint -q "$mp" || mount --bind "$DATA/cinder/volumes" "$mp"
}

cinder_backup_hash() { conf_hash python3-cinder "$ETC/cinder/cinder.conf"; }

start_cinder() {
  setup_cinder_mount
  spawn_uwsgi cinder-api 8776
  local a=(--config-file "$ETC/cinder/cinder.conf") h
  spawn cinder-scheduler cinder-scheduler "${a[@]}"
  spawn cinder-volume cinder-volume "${a[@]}"
  # cinder-backup reads its compression once, at start: a running one is restarted when the
  # config changed (it came that way to zstd), so a cloud left running does not keep zlib.
  h=$(cinder_backup_hash)
  restart_if_changed cinder-backup "$h"
  spawn cinder-backup cinder-backup "${a[@]}"
  started_with cinder-backup "$h"
}
