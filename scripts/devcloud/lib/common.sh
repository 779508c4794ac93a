# shellcheck shell=bash disable=SC2034 # the other parts read these settings and paths
# common.sh: where the state lives (DC, RUN, LOG, ETC, DATA), the caller's environment kept out,
# the daemon lists and the opt-in switches (--swift/--octavia/--manila: expected_daemons,
# all_running), messages (say, die), setup-step logging (run_logged), the markers that skip a
# db_sync whose config did not change, and the root/packages check of start. Starts nothing.
# Sourced first: its top-level assignments are the paths every other part uses.

DC=${GOVCLOUD_CACHE:-$HOME/.cache/govcloud}/devcloud
RUN=$DC/run
LOG=$DC/log
ETC=$DC/etc
DATA=$DC/data
MARK=$DATA/markers        # markers live beside the data they describe: wiping data wipes them
SYSPY=/usr/bin/python3    # Debian's python: the OpenStack packages are installed for it only
HELPER=$HERE/devcloud.py
CLOUDS_YAML=$DC/clouds.yaml
NOVA_GO=$RUN/nova-go                   # gate files, see start_nova
NOVA_COMPUTE_GO=$RUN/nova-compute-go

# Keep the caller's environment out of the daemons: pyenv/venv pythons must not shadow Debian's,
# and oslo.config reads OS_<GROUP>__<OPT> variables, clients read OS_CLOUD etc.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV PYTHONSTARTUP
for v in $(compgen -e | grep '^OS_' || true); do unset "$v"; done
export LC_ALL=C.UTF-8

# Daemon names, in start order. Stop goes by phase (apps first, MariaDB last).
CORE_DAEMONS=(epmd mariadb rabbitmq ovn-nb ovn-sb ovn-northd
  ovs1-db ovs1-vswitchd ovn-controller1 ovs2-db ovs2-vswitchd ovn-controller2
  keystone glance placement neutron nova-api nova-conductor nova-scheduler
  nova-compute1 nova-compute2 cinder-api cinder-scheduler cinder-volume cinder-backup)
SWIFT_DAEMONS=(swift-account swift-container swift-object swift-container-updater swift-proxy)
# Load balancers (Octavia, OVN provider: no amphora VMs) and file shares (Manila on GlusterFS
# directories exported by NFS-Ganesha): opt-in like Swift, they cost ~330 and ~460 MiB PSS.
OCTAVIA_DAEMONS=(octavia-driver-agent octavia-api)
MANILA_DAEMONS=(dbus glusterd ganesha manila-api manila-scheduler manila-share)
# Daemons that hang on TERM to their whole process group (the OVN driver agent's children wait
# for each other, >25 s): TERM goes to the leader only, which stops them in ~2.5 s.
LEADER_ONLY=(octavia-driver-agent)

T0=$(date +%s%N)
elapsed() { local ms=$((($(date +%s%N) - T0) / 1000000)); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
say() { printf '[%6ss] %s\n' "$(elapsed)" "$*"; }
die() { echo "devcloud: $*" >&2; exit 1; }

swift_enabled() { [[ -f $DC/swift.enabled ]]; }
octavia_enabled() { [[ -f $DC/octavia.enabled ]]; }
manila_enabled() { [[ -f $DC/manila.enabled ]]; }
expected_daemons() {
  printf '%s\n' "${CORE_DAEMONS[@]}"
  if swift_enabled; then printf '%s\n' "${SWIFT_DAEMONS[@]}"; fi
  if octavia_enabled; then printf '%s\n' "${OCTAVIA_DAEMONS[@]}"; fi
  if manila_enabled; then printf '%s\n' "${MANILA_DAEMONS[@]}"; fi
}
options_hash() { # which opt-in services are on: part of the catalog's marker
  echo "swift=$(swift_enabled && echo 1) octavia=$(octavia_enabled && echo 1) manila=$(manila_enabled && echo 1)"
}

run_logged() { # LOGNAME CMD...: run a setup command, output to $LOG/setup-LOGNAME.log
  local name=$1
  shift
  echo "===== $(date -Is) $*" >>"$LOG/setup-$name.log"
  # shellcheck disable=SC2086 # SETUP_NICE is empty or "nice -n 10" (see bg)
  if ! ${SETUP_NICE:-} "$@" >>"$LOG/setup-$name.log" 2>&1; then
    tail -n 30 "$LOG/setup-$name.log" >&2
    die "setup step failed: $* (log: $LOG/setup-$name.log)"
  fi
}

# Markers: a db_sync/bootstrap is skipped when the marker holds the hash of the same configs and
# package version. Every setup step is idempotent anyway; the marker only saves time.
conf_hash() { # PACKAGE FILES... -> short hash
  local pkg=$1
  shift
  { dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null; cat "$@"; } | sha256sum | cut -c1-16
}
marker_ok() { [[ -f $MARK/$1 && $(<"$MARK/$1") == "$2" ]]; }
mark() { mkdir -p "$MARK" && echo "$2" >"$MARK/$1"; }

db_url() { echo "mysql+pymysql://$DB_USER:$PW@$IP/$1?charset=utf8"; }

all_running() { # every expected daemon runs, and no swift daemon if swift is off
  local n
  for n in $(expected_daemons); do alive "$n" || return 1; done
  if ! swift_enabled; then
    for n in "${SWIFT_DAEMONS[@]}"; do alive "$n" && return 1; done
  fi
  if ! octavia_enabled; then
    for n in "${OCTAVIA_DAEMONS[@]}"; do alive "$n" && return 1; done
  fi
  if ! manila_enabled; then
    for n in "${MANILA_DAEMONS[@]}"; do alive "$n" && return 1; done
  fi
  return 0
}

check_root_and_packages() {
  [[ $(id -u) == 0 ]] || die "must run as root (bind mount for cinder, OVS)"
  # OVS/OVN unix sockets live under run/ (e.g. run/ovs1/br-int.snoop): max 107 bytes a path.
  ((${#RUN} <= 80)) || die "state path too long for unix sockets: $RUN (set GOVCLOUD_CACHE shorter)"
  local b
  for b in keystone-manage glance-api nova-conductor neutron-server cinder-volume ovn-northd \
    ovs-vswitchd mariadbd uwsgi; do
    command -v "$b" >/dev/null || die "$b not installed: run $HERE/install.sh"
  done
  if swift_enabled; then command -v swift-proxy-server >/dev/null || die "swift not installed: run $HERE/install.sh"; fi
  if octavia_enabled; then command -v octavia-driver-agent >/dev/null || die "octavia not installed: run $HERE/install.sh"; fi
  if manila_enabled; then command -v ganesha.nfsd >/dev/null || die "manila/ganesha not installed: run $HERE/install.sh"; fi
}
