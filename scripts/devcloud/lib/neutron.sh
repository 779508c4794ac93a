# shellcheck shell=bash
# neutron.sh: the Neutron config (ML2/OVN, QoS; no agents) and neutron-server on :9696,
# restarted when its config hash changed.
# Health: devcloud.py's `neutron` check (networks list) and `ovn_agents` (both chassis alive).

# ---------------------------------------------------------------------------------------------
# Neutron (neutron-server :9696, ML2/OVN: no L3/DHCP/OVS agents needed)
# ---------------------------------------------------------------------------------------------
write_neutron_conf() {
  mkdir -p "$ETC/neutron" "$DATA/neutron/lock"
  cat >"$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
$(common_default)
bind_host = $IP
bind_port = 9696
state_path = $DATA/neutron
api_paste_config = /etc/neutron/api-paste.ini
core_plugin = ml2
# qos: bandwidth limits on public IPs (internet_mbps); OVN turns them into OpenFlow meters.
service_plugins = ovn-router,qos
allow_overlapping_ips = true
auth_strategy = keystone
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
# Two API workers, one per core of the 2-core machine: Neutron is the busiest API here
# (about 65 ms of CPU per request; Nova asks it about ports, networks and security groups
# on every server read), and one worker capped it at one core, so stacks applied at once
# queued on it (measured: 40 % of all the cloud's CPU in a 16-stack apply). OVN needs no
# RPC workers (no agents talk RPC to the server).
api_workers = 2
rpc_workers = 0
rpc_state_report_workers = 0
[database]
connection = $(db_url neutron)
[oslo_concurrency]
lock_path = $DATA/neutron/lock
$(no_notifications)
$(ksat neutron)
$(svc_auth nova nova)
EOF
  cat >"$ETC/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = local,flat,vlan,geneve
tenant_network_types = geneve
mechanism_drivers = ovn
extension_drivers = port_security,qos
overlay_ip_version = 4
[ml2_type_geneve]
vni_ranges = 1:65536
max_header_size = 38
[ml2_type_flat]
flat_networks = public
[ml2_type_vlan]
network_vlan_ranges = public
[securitygroup]
enable_security_group = true
[ovn]
ovn_nb_connection = tcp:$IP:6641
ovn_sb_connection = tcp:$IP:6642
ovn_l3_scheduler = leastloaded
# No metadata agent: fake servers never ask for metadata.
ovn_metadata_enabled = false
enable_distributed_floating_ip = false
EOF
}

setup_neutron() {
  local c=$ETC/neutron/neutron.conf m=$ETC/neutron/ml2_conf.ini h
  h=$(conf_hash neutron-server "$c" "$m")
  marker_ok neutron "$h" && return 0
  run_logged neutron neutron-db-manage --config-file "$c" --config-file "$m" upgrade heads
  mark neutron "$h"
}

neutron_hash() { conf_hash neutron-server "$ETC/neutron/neutron.conf" "$ETC/neutron/ml2_conf.ini"; }

start_neutron() {
  local h
  h=$(neutron_hash)
  # A config change (e.g. the QoS plugin) needs a restart: neutron reads its config once.
  restart_if_changed neutron "$h"
  need_port_free 9696 neutron
  spawn neutron neutron-server --config-file "$ETC/neutron/neutron.conf" \
    --config-file "$ETC/neutron/ml2_conf.ini"
  started_with neutron "$h"
}
