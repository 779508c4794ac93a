# shellcheck shell=bash
# ovn.sh: starts OVN's NB and SB ovsdb (:6641, :6642) and ovn-northd, then two chassis, each
# its own ovsdb + ovs-vswitchd + ovn-controller (cb-compute1 with the userspace datapath and
# the gateway, cb-compute2 on OVS's dummy datapath).
# Health: each chassis' ovsdb answers `list-dbs` and northd has made SB_Global before the
# controllers start; devcloud.py's `ovn_agents` check wants a live OVN controller agent (as
# Neutron reports it) for both compute hosts.

# ---------------------------------------------------------------------------------------------
# OVN: NB/SB ovsdb + northd, and two chassis (ovsdb + ovs-vswitchd + ovn-controller each).
# All in the foreground (no --detach), so the nohup PIDs are the real PIDs.
# ---------------------------------------------------------------------------------------------
ovsdb_file() { # DB SCHEMA: create, or convert after a package upgrade
  if [[ ! -f $1 ]]; then
    ovsdb-tool create "$1" "$2"
  elif ovsdb-tool needs-conversion "$1" "$2" | grep -q yes; then
    ovsdb-tool convert "$1" "$2"
  fi
}

start_ovn_central() {
  local d=$DATA/ovn r=$RUN/ovn
  mkdir -p "$d" "$r"
  ovsdb_file "$d/ovnnb_db.db" /usr/share/ovn/ovn-nb.ovsschema
  ovsdb_file "$d/ovnsb_db.db" /usr/share/ovn/ovn-sb.ovsschema
  need_port_free 6641 ovn-nb
  need_port_free 6642 ovn-sb
  spawn ovn-nb env OVS_RUNDIR="$r" ovsdb-server "$d/ovnnb_db.db" \
    --remote="punix:$r/ovnnb_db.sock" --remote="ptcp:6641:$IP" --unixctl="$r/ovnnb_db.ctl"
  spawn ovn-sb env OVS_RUNDIR="$r" ovsdb-server "$d/ovnsb_db.db" \
    --remote="punix:$r/ovnsb_db.sock" --remote="ptcp:6642:$IP" --unixctl="$r/ovnsb_db.ctl"
  spawn ovn-northd env OVN_RUNDIR="$r" ovn-northd \
    --ovnnb-db="unix:$r/ovnnb_db.sock" --ovnsb-db="unix:$r/ovnsb_db.sock" --unixctl="$r/ovn-northd.ctl"
}

start_chassis() { # N HOSTNAME ENCAP_IP GW(yes/no) [extra ovs-vswitchd args]
  local n=$1 host=$2 encap=$3 gw=$4
  shift 4
  local d=$DATA/ovs$n r=$RUN/ovs$n
  mkdir -p "$d" "$r"
  ovsdb_file "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  spawn "ovs$n-db" env OVS_RUNDIR="$r" ovsdb-server "$d/conf.db" \
    --remote="punix:$r/db.sock" --unixctl="$r/ovsdb-server.ctl"
  # Wait for an answer, not for the socket file: a server killed with SIGKILL (as CI does to
  # everything a session left running) leaves db.sock behind, and the first ovs-vsctl then met
  # "Connection refused" before the new server had replaced it.
  wait_until 20 "ovsdb of chassis $n" "ovs$n-db" ovsdb-client --timeout=2 list-dbs "unix:$r/db.sock"
  local vsctl=(ovs-vsctl --db="unix:$r/db.sock" --no-wait)
  "${vsctl[@]}" init
  # system-id/hostname must equal nova's [DEFAULT] host: neutron binds a port only to a host
  # that has a live OVN controller agent. The netdev (userspace) datapath needs no kernel module.
  "${vsctl[@]}" set open_vswitch . \
    external_ids:system-id="$host" external_ids:hostname="$host" \
    external_ids:ovn-remote="tcp:$IP:6642" \
    external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip="$encap" \
    external_ids:ovn-bridge-datapath-type=netdev \
    external_ids:ovn-bridge-mappings=public:br-ex
  if [[ $gw == yes ]]; then
    # Router gateways (SNAT, floating IPs) are scheduled on chassis marked as gateway.
    "${vsctl[@]}" set open_vswitch . external_ids:ovn-cms-options=enable-chassis-as-gw
  fi
  "${vsctl[@]}" -- --may-exist add-br br-ex -- set bridge br-ex datapath_type=netdev
  spawn "ovs$n-vswitchd" env OVS_RUNDIR="$r" ovs-vswitchd "unix:$r/db.sock" \
    --unixctl="$r/ovs-vswitchd.ctl" "$@"
}

start_ovn_controller() { # N
  local r=$RUN/ovs$1
  # ovn-controller finds br-int.mgmt through OVS_RUNDIR; it rejects --unixctl, so OVN_RUNDIR
  # keeps its control socket apart from the other chassis'.
  spawn "ovn-controller$1" env OVS_RUNDIR="$r" OVN_RUNDIR="$r" ovn-controller "unix:$r/db.sock"
}

sb_initialised() { # northd has created the SB_Global row
  [[ -n $(ovn-sbctl --db="unix:$RUN/ovn/ovnsb_db.sock" --timeout=2 --columns=_uuid --bare \
    list SB_Global 2>/dev/null) ]]
}

start_ovn() {
  start_ovn_central
  # Chassis 1: real userspace (netdev) datapath, as recorded in the doc.
  start_chassis 1 "$COMPUTE1" 127.0.0.1 yes
  # Chassis 2: its own ovsdb/vswitchd/ovn-controller. --enable-dummy=override makes every
  # datapath and netdev class OVS's in-memory dummy: a second userspace datapath would try to
  # create the same tap devices (ovs-netdev, br-int, br-ex) as chassis 1. Nothing is plugged
  # into br-int under the fake driver, so no packets flow either way. Its own encap IP, because
  # the OVN SB Encap table is unique on (type, ip).
  start_chassis 2 "$COMPUTE2" 127.0.0.2 no --enable-dummy=override
  # On a brand-new SB database, ovn-controller 23.03 sometimes segfaulted at start (seen twice);
  # start it once northd has initialised the SB database.
  wait_until 30 "ovn-northd to initialise the SB database" ovn-northd sb_initialised
  start_ovn_controller 1
  start_ovn_controller 2
}
