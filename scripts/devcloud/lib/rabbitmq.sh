# shellcheck shell=bash
# rabbitmq.sh: starts epmd (127.0.0.1:4369, unless one runs already) and RabbitMQ
# (127.0.0.1:5672, user openstack made on the node's first boot).
# Health: its PID; the `conductor`/`scheduler` checks of devcloud.py find their RPC queues in it.

# ---------------------------------------------------------------------------------------------
# RabbitMQ (oslo.messaging needs an AMQP 0-9-1 broker; nothing lighter exists for Zed)
# ---------------------------------------------------------------------------------------------
start_epmd() {
  # Started by us in the foreground (not "epmd -daemon" as erl would), so we own its PID.
  if port_busy 4369 && ! alive epmd; then return 0; fi   # someone else's epmd: just use it
  spawn epmd epmd -address "$IP" -port 4369
}

start_rabbitmq() {
  local d=$ETC/rabbitmq
  mkdir -p "$d/conf.d" "$DATA/rabbitmq" "$LOG/rabbitmq"
  cat >"$d/rabbitmq.conf" <<EOF
listeners.tcp.default = $IP:5672
# The OpenStack services log in as '$RABBIT_USER'; it is created on the node's first boot only.
default_user = $RABBIT_USER
default_pass = $PW
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
log.console = true
log.console.level = warning
log.file = false
EOF
  echo '[].' >"$d/enabled_plugins"
  : >"$d/rabbitmq-env.conf"   # keep /etc/rabbitmq/rabbitmq-env.conf out
  need_port_free 5672 rabbitmq
  # +sbwt none: schedulers do not busy-wait when idle (saves CPU on a 2-core machine).
  # inet_dist_use_interface: the erlang distribution port listens on 127.0.0.1 only.
  spawn rabbitmq env HOME="$DATA/rabbitmq" \
    RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_CONFIG_FILES="$d/conf.d" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
    RABBITMQ_NODENAME=rabbit@localhost \
    RABBITMQ_NODE_IP_ADDRESS="$IP" \
    RABBITMQ_DIST_PORT=25672 \
    RABBITMQ_MNESIA_BASE="$DATA/rabbitmq/mnesia" \
    RABBITMQ_LOG_BASE="$LOG/rabbitmq" \
    RABBITMQ_PID_FILE="$RUN/internal/rabbitmq.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none" \
    ERL_EPMD_ADDRESS="$IP" \
    /usr/lib/rabbitmq/bin/rabbitmq-server
}
