# shellcheck shell=bash
# manila.sh (--manila only): the Manila, GlusterFS and NFS-Ganesha configs, Manila's db sync,
# a system D-Bus, glusterd and its volume (brick, quotas), ganesha.nfsd on :2049 and manila-api
# under uwsgi on :8786, manila-scheduler and manila-share; stop_manila_data stops the volume's
# own daemons (not started by PID), glusterd, ganesha and D-Bus.
# Health: D-Bus socket (20 s) and `gluster volume list` (30 s) before the rest starts;
# devcloud.py's `manila` check (scheduler and share up, pool glusterfs known).

# ---------------------------------------------------------------------------------------------
# Manila (only with --manila): api under uwsgi :8786, scheduler, share with the GlusterFS driver
# (directory layout: one directory with a quota per share) exporting through NFS-Ganesha
# (NFSv4 on 127.0.0.1:2049). All userspace: the LVM driver needs device-mapper and the kernel
# has no NFS server or client here; clients use libnfs (nfs-ls, nfs-cp).
# ---------------------------------------------------------------------------------------------
# Gluster refuses 127.0.0.1 as a brick's host; a host name /etc/hosts maps to it works.
GLUSTER_HOST=$(hostname)
GLUSTER_VOLUME=manila
DBUS_SOCKET=/run/dbus/system_bus_socket   # Manila adds exports through ganesha's D-Bus interface

write_manila_conf() {
  local m=$DATA/manila g=$ETC/ganesha
  mkdir -p "$ETC/manila" "$ETC/glusterfs" "$g/export.d" "$m/lock" "$m/mnt" "$DATA/gluster/brick" \
    "$DATA/glusterd" "$DATA/ganesha"
  [[ -f $g/export.d/INDEX.conf ]] || : >"$g/export.d/INDEX.conf"
  cat >"$g/ganesha.conf" <<EOF
NFS_CORE_PARAM {
  Protocols = 4;
  Bind_addr = $IP;
  Enable_NLM = false;
  Enable_RQUOTA = false;
  Enable_UDP = false;
}
NFSV4 {
  Graceless = true;
  RecoveryBackend = fs;
}
NFS_KRB5 { Active_krb5 = false; }
%include $g/export.d/INDEX.conf
EOF
  sed -e "s|option working-directory .*|option working-directory $DATA/glusterd|" \
    -e "s|^end-volume|    option transport.socket.bind-address $IP\nend-volume|" \
    /etc/glusterfs/glusterd.vol >"$ETC/glusterfs/glusterd.vol"
  cat >"$ETC/manila/manila.conf" <<EOF
[DEFAULT]
$(common_default)
my_ip = $IP
host = cb-share
state_path = $m
osapi_share_listen = $IP
osapi_share_listen_port = 8786
api_paste_config = /etc/manila/api-paste.ini
rootwrap_config = /etc/manila/rootwrap.conf
auth_strategy = keystone
enabled_share_backends = glusterfs
enabled_share_protocols = NFS
default_share_type = default
[database]
connection = $(db_url manila)
[oslo_concurrency]
lock_path = $m/lock
$(no_notifications)
$(ksat manila)
[glusterfs]
share_backend_name = glusterfs
share_driver = manila.share.drivers.glusterfs.GlusterfsShareDriver
driver_handles_share_servers = False
glusterfs_share_layout = layout_directory.GlusterfsDirectoryMappedLayout
# No user@: gluster commands run locally (an address in glusterfs_ganesha_server_ip means SSH).
glusterfs_target = $GLUSTER_HOST:/$GLUSTER_VOLUME
glusterfs_nfs_server_type = Ganesha
glusterfs_mount_point_base = $m/mnt
ganesha_config_dir = $g
ganesha_config_path = $g/ganesha.conf
ganesha_export_dir = $g/export.d
ganesha_db_path = $m/ganesha.db
EOF
  write_uwsgi_ini manila-api 8786 /usr/bin/manila-wsgi 1 2 "pyargv = --config-file $ETC/manila/manila.conf"
}

manila_hash() {
  conf_hash manila-share "$ETC/manila/manila.conf" "$ETC/uwsgi/manila-api.ini" "$ETC/ganesha/ganesha.conf"
}

setup_manila() {
  local h
  h=$(manila_hash)
  marker_ok manila "$h" && return 0
  run_logged manila manila-manage --config-file "$ETC/manila/manila.conf" db sync
  mark manila "$h"
}

gluster() { command gluster --mode=script "$@"; }
gluster_answers() { gluster volume list >/dev/null 2>&1; }
gluster_volume_started() { gluster volume info "$GLUSTER_VOLUME" 2>/dev/null | grep -q '^Status: Started'; }

start_gluster() {
  getent hosts "$GLUSTER_HOST" | grep -q '^127\.' || die "$GLUSTER_HOST must resolve to 127.0.0.1 (/etc/hosts)"
  spawn glusterd glusterd -N -f "$ETC/glusterfs/glusterd.vol" --log-file="$LOG/glusterd-own.log"
  wait_until 30 "glusterd" glusterd gluster_answers
  if ! gluster volume info "$GLUSTER_VOLUME" >/dev/null 2>&1; then
    run_logged gluster gluster volume create "$GLUSTER_VOLUME" "$GLUSTER_HOST:$DATA/gluster/brick" force
  fi
  # The brick, quotad and the driver's FUSE mount daemonize (their parent is PID 1): they are
  # stopped through gluster itself (stop_manila), not by PID.
  gluster_volume_started || run_logged gluster gluster volume start "$GLUSTER_VOLUME" force
  # Each share is a directory with a quota: the directory layout needs quotas on.
  gluster volume quota "$GLUSTER_VOLUME" list >/dev/null 2>&1 \
    || run_logged gluster gluster volume quota "$GLUSTER_VOLUME" enable
}

start_manila() {
  local h
  h=$(manila_hash)
  for n in manila-api manila-scheduler manila-share ganesha; do restart_if_changed "$n" "$h"; done
  mkdir -p /run/dbus
  if ! alive dbus; then
    [[ -S $DBUS_SOCKET ]] && ! dbus-send --system --print-reply --dest=org.freedesktop.DBus / \
      org.freedesktop.DBus.GetId >/dev/null 2>&1 && rm -f "$DBUS_SOCKET"
    [[ -S $DBUS_SOCKET ]] || spawn dbus dbus-daemon --system --nofork --nopidfile
  fi
  wait_until 20 "the system D-Bus" dbus test -S "$DBUS_SOCKET"
  start_gluster
  need_port_free 2049 ganesha
  spawn ganesha ganesha.nfsd -F -f "$ETC/ganesha/ganesha.conf" -L "$LOG/ganesha-own.log" \
    -p "$RUN/internal/ganesha.pid"
  started_with ganesha "$h"
  spawn_uwsgi manila-api 8786
  # A volume mount whose glusterfs client died with an earlier run (the machine's processes
  # were killed, the mount table kept it) answers "Transport endpoint is not connected" and
  # stops manila-share's setup: unmount it; manila-share mounts the volume itself.
  local mp
  if ! alive manila-share; then
    for mp in $(findmnt -rn -o TARGET | grep "^$DATA/manila/mnt/" || true); do
      stat "$mp" >/dev/null 2>&1 || umount "$mp" 2>/dev/null || umount -l "$mp"
    done
  fi
  local a=(--config-file "$ETC/manila/manila.conf") n
  spawn manila-scheduler manila-scheduler "${a[@]}"
  spawn manila-share manila-share "${a[@]}"
  for n in manila-api manila-scheduler manila-share; do started_with "$n" "$h"; done
}

stop_manila_data() { # the gluster volume's daemons (not ours by PID), then glusterd and D-Bus
  if alive glusterd; then
    gluster volume stop "$GLUSTER_VOLUME" force >/dev/null 2>&1 || true
  fi
  local mp
  for mp in $(findmnt -rn -o TARGET | grep "^$DATA/manila/mnt/" || true); do umount "$mp" || umount -l "$mp"; done
  # The brick and quotad glusterd started for the volume leave pid files in its working directory.
  local f pid
  for f in $(find "$DATA/glusterd" -name '*.pid' 2>/dev/null); do
    read -r pid <"$f" 2>/dev/null || continue
    [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == gluster* ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  stop_names glusterd ganesha dbus
  [[ -S $DBUS_SOCKET ]] && ! pgrep -x dbus-daemon >/dev/null && rm -f "$DBUS_SOCKET"
  return 0
}
