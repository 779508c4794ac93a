# shellcheck shell=bash
# octavia.sh (--octavia only): the Octavia config (OVN provider, no amphora), its db upgrade,
# octavia-driver-agent and octavia-api under uwsgi on :9876; both restarted when the config
# hash changed.
# Health: the driver agent's sockets exist before the API starts (60 s); devcloud.py's
# `octavia` check (the providers list has ovn).

# ---------------------------------------------------------------------------------------------
# Octavia (only with --octavia): api under uwsgi :9876 and the OVN provider's driver agent.
# No amphora: the OVN provider programs OVN load balancers (layer 4, SOURCE_IP_PORT only).
# ---------------------------------------------------------------------------------------------
# The OVN provider finds the driver agent at octavia-lib's default sockets; custom paths in
# [driver_agent] are ignored by it (the API then hangs and fails: "Provider 'ovn' was not found").
OCTAVIA_SOCKETS=/var/run/octavia

write_octavia_conf() {
  mkdir -p "$ETC/octavia" "$DATA/octavia/lock"
  cat >"$ETC/octavia/octavia.conf" <<EOF
[DEFAULT]
$(common_default)
[api_settings]
bind_host = $IP
bind_port = 9876
auth_strategy = keystone
enabled_provider_drivers = ovn:OVN provider
default_provider_driver = ovn
[driver_agent]
enabled_provider_agents = ovn
[ovn]
ovn_nb_connection = tcp:$IP:6641
ovn_sb_connection = tcp:$IP:6642
[database]
connection = $(db_url octavia)
[oslo_concurrency]
lock_path = $DATA/octavia/lock
$(no_notifications)
$(ksat octavia)
$(svc_auth service_auth octavia)
EOF
  # octavia-wsgi parses sys.argv (pyargv), else it reads /etc/octavia.
  write_uwsgi_ini octavia-api 9876 /usr/bin/octavia-wsgi 1 2 \
    "pyargv = --config-file $ETC/octavia/octavia.conf"
}

octavia_hash() { conf_hash octavia-api "$ETC/octavia/octavia.conf" "$ETC/uwsgi/octavia-api.ini"; }

setup_octavia() {
  local h
  h=$(octavia_hash)
  marker_ok octavia "$h" && return 0
  run_logged octavia octavia-db-manage --config-file "$ETC/octavia/octavia.conf" upgrade head
  mark octavia "$h"
}

octavia_sockets_ready() { [[ -S $OCTAVIA_SOCKETS/status.sock && -S $OCTAVIA_SOCKETS/get.sock ]]; }

start_octavia() {
  local h
  h=$(octavia_hash)
  restart_if_changed octavia-api "$h"
  restart_if_changed octavia-driver-agent "$h"
  mkdir -p "$OCTAVIA_SOCKETS"
  if ! alive octavia-driver-agent; then rm -f "$OCTAVIA_SOCKETS"/*.sock; fi
  spawn octavia-driver-agent octavia-driver-agent --config-file "$ETC/octavia/octavia.conf"
  started_with octavia-driver-agent "$h"
  wait_until 60 "the Octavia driver agent's sockets" octavia-driver-agent octavia_sockets_ready
  spawn_uwsgi octavia-api 9876
  started_with octavia-api "$h"
}
