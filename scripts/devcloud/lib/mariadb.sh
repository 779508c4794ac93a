# shellcheck shell=bash
# mariadb.sh: starts MariaDB (mariadbd, 127.0.0.1:3306, data in data/mysql) and makes the
# databases of every service and their user.
# Health: ensure_databases waits up to 60 s for `mariadb-admin ping`; `status` checks its PID.

# ---------------------------------------------------------------------------------------------
# MariaDB (SQLite gives "database is locked" under keystone's threads; see the doc)
# ---------------------------------------------------------------------------------------------
write_mariadb_conf() {
  mkdir -p "$ETC/mysql" "$RUN/internal"
  cat >"$ETC/mysql/my.cnf" <<EOF
[client]
socket = $RUN/mysqld.sock
user = root

[mysqld]
# Run as root: the data dir is under \$HOME (/root is not traversable by the mysql user).
user = root
datadir = $DATA/mysql
socket = $RUN/mysqld.sock
pid-file = $RUN/internal/mysqld.pid
bind-address = $IP
port = 3306
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
# Each OpenStack service keeps a connection pool; the default 151 is too few.
max_connections = 1000
innodb_buffer_pool_size = 128M
# Dev cloud: flush the redo log once a second instead of per commit (db_sync is much faster).
innodb_flush_log_at_trx_commit = 2
performance_schema = OFF
EOF
}

start_mariadb() {
  write_mariadb_conf
  if [[ ! -d $DATA/mysql/mysql ]]; then
    mkdir -p "$DATA/mysql"
    run_logged mariadb mariadb-install-db --defaults-file="$ETC/mysql/my.cnf" \
      --user=root --skip-test-db --auth-root-authentication-method=socket
  fi
  need_port_free 3306 mariadb
  spawn mariadb mariadbd --defaults-file="$ETC/mysql/my.cnf"
}

mysql_q() { mariadb --defaults-file="$ETC/mysql/my.cnf" -N -B -e "$1"; }

ensure_databases() {
  wait_until 60 "MariaDB" mariadb mariadb-admin --defaults-file="$ETC/mysql/my.cnf" --silent ping >/dev/null
  local sql="" db
  for db in keystone glance placement nova_api nova nova_cell0 neutron cinder octavia manila; do
    sql+="CREATE DATABASE IF NOT EXISTS $db CHARACTER SET utf8;"
  done
  for h in localhost 127.0.0.1; do
    sql+="CREATE USER IF NOT EXISTS '$DB_USER'@'$h' IDENTIFIED BY '$PW';"
    sql+="GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'$h';"
  done
  mysql_q "$sql"
}
