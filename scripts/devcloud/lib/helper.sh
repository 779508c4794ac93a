# shellcheck shell=bash
# helper.sh: the Python side (devcloud.py, Debian's python): the Keystone catalog and service
# users (ensure_catalog, skipped by its marker), the base resources (`helper ensure`), the API
# checks behind `status` and start's waits (`helper status`, `helper wait`), memory
# (`helper mem`), and clouds.yaml for clients. Starts no daemon.

helper() { # the python side: catalog, resources, API checks, memory
  DEVCLOUD_PW=$PW DEVCLOUD_KS_URL=$KS_URL DEVCLOUD_REGION=$REGION DEVCLOUD_RUN=$RUN \
    DEVCLOUD_SWIFT=$(swift_enabled && echo 1 || echo 0) \
    DEVCLOUD_OCTAVIA=$(octavia_enabled && echo 1 || echo 0) DEVCLOUD_MANILA=$(manila_enabled && echo 1 || echo 0) \
    DEVCLOUD_COMPUTES="$COMPUTE1 $COMPUTE2" DEVCLOUD_STORAGE_HOST=$STORAGE_HOST \
    DEVCLOUD_MYSQL_SOCK=$RUN/mysqld.sock DEVCLOUD_IP=$IP \
    "$SYSPY" "$HELPER" "$@"
}

write_clouds_yaml() {
  cat >"$CLOUDS_YAML" <<EOF
# Written by scripts/devcloud/devcloud. Use: OS_CLIENT_CONFIG_FILE=$CLOUDS_YAML OS_CLOUD=$CLOUD_NAME
clouds:
  $CLOUD_NAME:
    auth:
      auth_url: $KS_URL/v3
      username: admin
      password: $PW
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: $REGION
    identity_api_version: 3
    interface: public
EOF
}

ensure_catalog() { # the Keystone catalog, service users and roles, when the helper or the options changed
  local catalog_hash
  catalog_hash=$(conf_hash keystone "$HELPER" <(options_hash))
  if ! marker_ok catalog "$catalog_hash"; then
    run_logged catalog helper catalog
    mark catalog "$catalog_hash"
    say "Keystone catalog, service project and users created"
  fi
}
