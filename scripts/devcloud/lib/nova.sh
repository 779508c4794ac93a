# shellcheck shell=bash
# nova.sh: the Nova config, its four setup steps (nova_setup.py) and nova-api under uwsgi on
# :8774, nova-conductor, nova-scheduler and two fake.FakeDriver computes (cb-compute1,
# cb-compute2), run by nova_service.py behind the gate files cmd_start opens.
# Health: devcloud.py's `nova` check (flavors list), `conductor`/`scheduler` (their RPC queues
# exist) and `compute` (both hosts up and mapped to cell1).

# ---------------------------------------------------------------------------------------------
# Nova (api under uwsgi :8774, conductor, scheduler, 2 x compute with fake.FakeDriver)
# ---------------------------------------------------------------------------------------------
write_nova_conf() {
  mkdir -p "$ETC/nova" "$DATA/nova/tmp"
  cat >"$ETC/nova/nova.conf" <<EOF
[DEFAULT]
$(common_default)
host = $COMPUTE1
my_ip = $IP
state_path = $DATA/nova
# Fake hypervisor: servers "boot" instantly, with 1000 vCPU / 800 GB RAM / 600 TB disk.
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = $IP
osapi_compute_workers = 1
# Nothing plugs a VIF under the fake driver, so do not wait for network-vif-plugged events.
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
allow_resize_to_same_host = true
# Periodic tasks start after a random delay of up to 60 s by default; the scheduler's
# discover_hosts (mapping new compute hosts to cell1) is one of them.
periodic_fuzzy_delay = 0
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova)
[conductor]
workers = 1
[scheduler]
workers = 1
# Maps new compute hosts to cell1 by itself (instead of nova-manage cell_v2 discover_hosts).
discover_hosts_in_cells_interval = 3
[oslo_concurrency]
lock_path = $DATA/nova/tmp
[vnc]
enabled = false
[glance]
region_name = $REGION
$(no_notifications)
$(ksat nova)
$(svc_auth placement placement "valid_interfaces = public")
$(svc_auth neutron neutron "service_metadata_proxy = false" "valid_interfaces = public")
$(svc_auth cinder cinder "os_region_name = $REGION")
$(svc_auth service_user nova "send_service_user_token = true")
EOF
  # The second fake hypervisor differs only in its host name and local state.
  mkdir -p "$DATA/nova2/tmp"
  cat >"$ETC/nova/nova-compute2.conf" <<EOF
[DEFAULT]
host = $COMPUTE2
state_path = $DATA/nova2
[oslo_concurrency]
lock_path = $DATA/nova2/tmp
EOF
  # nova-api-wsgi loads OS_NOVA_CONFIG_DIR/{api-paste.ini,nova.conf}; the first is the paste file.
  ln -sf /etc/nova/api-paste.ini "$ETC/nova/api-paste.ini"
  write_uwsgi_ini nova-api 8774 /usr/bin/nova-api-wsgi 2 1 "env = OS_NOVA_CONFIG_DIR=$ETC/nova"
}

setup_nova() {
  local c=$ETC/nova/nova.conf h
  h=$(conf_hash python3-nova "$c")
  marker_ok nova "$h" && return 0
  # One python process runs the four nova-manage steps (api_db sync, map_cell0, create_cell
  # cell1, db sync): each nova-manage run costs ~5 s of imports on this machine.
  run_logged nova "$SYSPY" "$HERE/nova_setup.py" "$c" "$(db_url nova_cell0)"
  mark nova "$h"
}

start_nova() {
  spawn_uwsgi nova-api 8774
  # nova-conductor and nova-scheduler exit at start when keystone has no placement user yet or
  # placement does not answer; nova-compute reports its resources to placement at start (then
  # only every 60 s) and needs the conductor. nova_service.py imports nova right away and waits
  # for a gate file before running the service; cmd_start creates $NOVA_GO once the catalog
  # exists and placement answers, and $NOVA_COMPUTE_GO once the conductor listens.
  local c=(--config-file "$ETC/nova/nova.conf") w=("$SYSPY" "$HERE/nova_service.py")
  spawn nova-conductor "${w[@]}" conductor --wait-for "$NOVA_GO" "${c[@]}"
  spawn nova-scheduler "${w[@]}" scheduler --wait-for "$NOVA_GO" "${c[@]}"
  # The nova-compute package would pull in libvirt/qemu; python3-nova has the code.
  spawn nova-compute1 "${w[@]}" compute --wait-for "$NOVA_COMPUTE_GO" "${c[@]}"
  spawn nova-compute2 "${w[@]}" compute --wait-for "$NOVA_COMPUTE_GO" "${c[@]}" \
    --config-file "$ETC/nova/nova-compute2.conf"
}
