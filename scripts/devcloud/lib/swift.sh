# shellcheck shell=bash
# swift.sh (--swift only): the Swift configs and rings (one device, replica 1) and the
# account, container and object servers, the container updater and the proxy on :8080.
# Health: devcloud.py's `swift` check (GET of the admin project's account).

# ---------------------------------------------------------------------------------------------
# Swift (only with --swift): proxy :8080 with keystoneauth, one device, replica count 1
# ---------------------------------------------------------------------------------------------
write_swift_conf() {
  local s=$ETC/swift
  mkdir -p "$s" "$DATA/swift/node/d1"
  # /etc/swift/swift.conf (hash prefix/suffix, policies) is read from that fixed path by swift.
  local common="bind_ip = $IP
workers = 0
user = root
devices = $DATA/swift/node
mount_check = false
swift_dir = $s
log_name = swift"
  local kind port
  for kind in account:6202 container:6201 object:6200; do
    port=${kind#*:}
    kind=${kind%%:*}
    cat >"$s/$kind-server.conf" <<EOF
[DEFAULT]
bind_port = $port
$common
[pipeline:main]
pipeline = $kind-server
[app:$kind-server]
use = egg:swift#$kind
EOF
  done
  cat >>"$s/container-server.conf" <<EOF
[container-updater]
# A sweep over the container databases takes 25-45 s of CPU on this machine; at the 30 s
# this once was, sweeps ran back to back and took half a core from everything else (seen
# as 57 CPU s in a 100 s apply). Account usage (X-Account-Bytes-Used) lags by up to this
# much; nothing here reads it (metering reads container usage, kept by the object server).
interval = 600
EOF
  cat >"$s/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = $IP
bind_port = 8080
workers = 0
user = root
swift_dir = $s
log_name = swift-proxy
[pipeline:main]
# No memcached: "cache" is left out (authtoken caches tokens in-process).
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats authtoken keystoneauth copy container-quotas account-quotas dlo slo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:container-quotas]
use = egg:swift#container_quotas
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:dlo]
use = egg:swift#dlo
[filter:slo]
use = egg:swift#slo
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_admin_role = ResellerAdmin
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true
$(ksat swift | tail -n +2)
EOF
}

setup_swift() {
  local s=$ETC/swift b
  [[ -f /etc/swift/swift.conf ]] || die "/etc/swift/swift.conf missing: run install.sh"
  for b in object:6200 container:6201 account:6202; do
    local kind=${b%%:*} port=${b#*:}
    if [[ ! -f $s/$kind.ring.gz ]]; then
      run_logged swift swift-ring-builder "$s/$kind.builder" create 10 1 1
      run_logged swift swift-ring-builder "$s/$kind.builder" add "r1z1-$IP:$port/d1" 1
      run_logged swift swift-ring-builder "$s/$kind.builder" rebalance
    fi
  done
}

start_swift() {
  local s=$ETC/swift k
  for k in account container object; do spawn "swift-$k" "swift-$k-server" "$s/$k-server.conf" -v; done
  # Updates container/account usage (X-Account-Bytes-Used) from object writes.
  spawn swift-container-updater swift-container-updater "$s/container-server.conf" -v
  need_port_free 8080 swift-proxy
  spawn swift-proxy swift-proxy-server "$s/proxy-server.conf" -v
}
