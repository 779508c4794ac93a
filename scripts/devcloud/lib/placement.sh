# shellcheck shell=bash
# placement.sh: the Placement config, its db sync and placement-api under uwsgi on :8778.
# Health: devcloud.py's `placement` check (resource providers list); cmd_start waits for it
# before it lets nova-conductor and nova-scheduler run.

# ---------------------------------------------------------------------------------------------
# Placement (uwsgi :8778)
# ---------------------------------------------------------------------------------------------
write_placement_conf() {
  mkdir -p "$ETC/placement"
  cat >"$ETC/placement/placement.conf" <<EOF
[DEFAULT]
use_stderr = true
[api]
auth_strategy = keystone
[placement_database]
connection = $(db_url placement)
$(ksat placement)
EOF
  write_uwsgi_ini placement 8778 /usr/bin/placement-api 1 4 \
    "env = OS_PLACEMENT_CONFIG_DIR=$ETC/placement"
}

setup_placement() {
  local c=$ETC/placement/placement.conf h
  h=$(conf_hash placement-api "$c")
  marker_ok placement "$h" && return 0
  run_logged placement placement-manage --config-file "$c" db sync
  mark placement "$h"
}

start_placement() { spawn_uwsgi placement 8778; }
