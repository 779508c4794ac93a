# shellcheck shell=bash
# keystone.sh: the Keystone config, fernet and credential keys, db_sync + bootstrap
# (keystone_setup.py, skipped by its marker) and Keystone under uwsgi on :5000.
# Health: devcloud.py's `keystone` check (an admin token is issued); cmd_start waits for it
# (120 s) before it makes the catalog.

# ---------------------------------------------------------------------------------------------
# Keystone (uwsgi :5000)
# ---------------------------------------------------------------------------------------------
write_keystone_conf() {
  mkdir -p "$ETC/keystone" "$DATA/keystone"
  cat >"$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
use_stderr = true
[database]
connection = $(db_url keystone)
[identity]
# Dev cloud: bcrypt with 4 rounds instead of 12. Every password login (each service's own token,
# every client token) otherwise costs ~0.2 s of CPU, which adds up on 2 cores.
password_hash_rounds = 4
[token]
provider = fernet
[fernet_tokens]
key_repository = $DATA/keystone/fernet-keys
[fernet_receipts]
key_repository = $DATA/keystone/fernet-keys
[credential]
key_repository = $DATA/keystone/credential-keys
$(no_notifications)
EOF
  # Four worker processes of one thread each, never threads: Keystone 22 (Zed) keeps the token it
  # validates on its one AuthContextMiddleware instance (`self.token`), so a request served next
  # to another one in the same process can be judged with the other's token. Creating an
  # application credential checks the requested roles against that token: with 4 threads a
  # tenant stack's credential with load-balancer_member was refused ("Cannot create an
  # application credential with unassigned role") while another department's stacks user
  # (member only) made its own, 39 times in 40 with a second user busy beside it; with one
  # thread per process 0 in 40 (tests/cloud/test_keystone_workers.py).
  write_uwsgi_ini keystone 5000 /usr/bin/keystone-wsgi-public 4 1 \
    "env = OS_KEYSTONE_CONFIG_FILES=$ETC/keystone/keystone.conf"
}

# What a running Keystone was started with: its config and its uwsgi workers.
keystone_run_hash() { conf_hash keystone "$ETC/keystone/keystone.conf" "$ETC/uwsgi/keystone.ini"; }

keystone_hash() { conf_hash keystone "$ETC/keystone/keystone.conf"; }

fernet_keys() { # DIR: a key repository as "keystone-manage fernet_setup" makes it: key 0 is
  # the staged key, key 1 the primary; a key is 32 random bytes, urlsafe-base64. (Written here
  # because each keystone-manage run costs seconds of CPU.)
  local d=$1 i
  [[ -f $d/0 ]] && return 0
  (
    umask 077
    mkdir -p "$d"
    for i in 0 1; do head -c 32 /dev/urandom | base64 | tr '+/' '-_' >"$d/$i"; done
  )
}

setup_keystone() {
  local c=$ETC/keystone/keystone.conf h
  h=$(keystone_hash)
  marker_ok keystone "$h" && return 0
  fernet_keys "$DATA/keystone/fernet-keys"
  fernet_keys "$DATA/keystone/credential-keys"
  # keystone-manage db_sync + bootstrap, in one process (keystone_setup.py).
  run_logged keystone "$SYSPY" "$HERE/keystone_setup.py" --config-file "$c" bootstrap \
    --bootstrap-password "$PW" --bootstrap-admin-url "$KS_URL/v3" \
    --bootstrap-internal-url "$KS_URL/v3" --bootstrap-public-url "$KS_URL/v3" \
    --bootstrap-region-id "$REGION"
  mark keystone "$h"
}

start_keystone() {
  local h
  h=$(keystone_run_hash)
  # uwsgi reads its workers' layout (and Keystone its config) at start only.
  restart_if_changed keystone "$h"
  spawn_uwsgi keystone 5000
  started_with keystone "$h"
}
