# shellcheck shell=bash
# glance.sh: the Glance config (file store under data/glance), its db_sync and glance-api on
# :9292 (one process, green threads).
# Health: devcloud.py's `glance` check (images list).

# ---------------------------------------------------------------------------------------------
# Glance (eventlet glance-api :9292, file store)
# ---------------------------------------------------------------------------------------------
write_glance_conf() {
  local g=$DATA/glance
  mkdir -p "$ETC/glance" "$g/images" "$g/staging" "$g/tasks"
  cat >"$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
$(common_default)
bind_host = $IP
bind_port = 9292
# 0 = one process with a green-thread pool (no forked worker): enough here, ~70 MB less.
workers = 0
enabled_backends = file:file
[database]
connection = $(db_url glance)
[glance_store]
default_backend = file
[file]
filesystem_store_datadir = $g/images/
[os_glance_staging_store]
filesystem_store_datadir = $g/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $g/tasks/
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_policy]
enforce_new_defaults = false
$(no_notifications)
$(ksat glance)
EOF
}

setup_glance() {
  local c=$ETC/glance/glance-api.conf h
  h=$(conf_hash glance-api "$c")
  marker_ok glance "$h" && return 0
  run_logged glance glance-manage --config-file "$c" db_sync
  mark glance "$h"
}

start_glance() {
  need_port_free 9292 glance
  spawn glance glance-api --config-file "$ETC/glance/glance-api.conf"
}
