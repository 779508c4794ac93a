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
  write_uwsgi_ini keystone 5000 /usr/bin/keystone-wsgi-public 1 4 \
    "env = OS_KEYSTONE_CONFIG_FILES=$ETC/keystone/keystone.conf"
}

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

start_keystone() { spawn_uwsgi keystone 5000; }
