# shellcheck shell=bash
# config.sh: the config sections every OpenStack service shares ([keystone_authtoken], service
# credentials, [DEFAULT] logging and RabbitMQ, no notifications) and the uwsgi ini of the APIs
# run under uwsgi (Keystone, Placement, Nova API, Cinder API, Octavia API, Manila API).
# Starts nothing; spawn_uwsgi is what each of those parts calls to start its API.

# ---------------------------------------------------------------------------------------------
# Config snippets shared by all services
# ---------------------------------------------------------------------------------------------
ksat() { # SERVICE_USER: the [keystone_authtoken] section (validates incoming tokens)
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PW
region_name = $REGION
service_token_roles_required = true
EOF
}

svc_auth() { # SECTION SERVICE_USER [extra lines]: credentials a service uses to call another
  cat <<EOF
[$1]
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $PW
region_name = $REGION
EOF
  shift 2
  printf '%s\n' "$@"
}

common_default() { # lines every oslo service gets in [DEFAULT]
  cat <<EOF
# Log to stderr, i.e. to $LOG/<daemon>.log via nohup.
use_stderr = true
debug = false
transport_url = $TRANSPORT_URL
# On TERM, oslo services wait for their RPC consumers and periodic tasks (cinder-scheduler took
# 10 s); nothing here needs more than 5 s to stop cleanly.
graceful_shutdown_timeout = 5
EOF
}

no_notifications() {
  # Nobody consumes notifications here; without a consumer they would pile up in RabbitMQ.
  printf '[oslo_messaging_notifications]\ndriver = noop\n'
}

write_uwsgi_ini() { # NAME PORT WSGI_FILE PROCESSES THREADS [extra ini lines...]
  local name=$1 port=$2 wsgi=$3 procs=$4 threads=$5
  shift 5
  mkdir -p "$ETC/uwsgi"
  cat >"$ETC/uwsgi/$name.ini" <<EOF
[uwsgi]
plugins = python3
http-socket = $IP:$port
wsgi-file = $wsgi
need-app = true
master = true
lazy-apps = true
# TERM stops the whole uwsgi instance (default would be a graceful reload).
die-on-term = true
enable-threads = true
processes = $procs
threads = $threads
buffer-size = 65535
# Required: uwsgi's http-socket does not handle keep-alive; without this header clients get
# intermittent "ConnectionResetError(104, 'Connection reset by peer')" on reused connections.
add-header = Connection: close
# Workers stuck in a request are killed after 5 s on stop/reload instead of the default 60 s.
worker-reload-mercy = 5
disable-logging = true
log-4xx = true
log-5xx = true
EOF
  printf '%s\n' "$@" >>"$ETC/uwsgi/$name.ini"
}

spawn_uwsgi() { # NAME PORT
  need_port_free "$2" "$1"
  spawn "$1" uwsgi --ini "$ETC/uwsgi/$1.ini"
}
