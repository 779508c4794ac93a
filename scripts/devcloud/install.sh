#!/usr/bin/env bash
# Installs the Debian packages the local OpenStack cloud needs. Idempotent:
# a second run with everything present returns in about a second.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t pkgs < <(grep -v '^\s*#' "$here/packages.txt" | sed '/^\s*$/d')

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "devcloud: all ${#pkgs[@]} packages present"
  exit 0
fi

# The packages' own post-install scripts would otherwise configure databases,
# RabbitMQ users and Keystone endpoints of their own; start.sh does that.
sel=$(mktemp)
for p in keystone glance-common glance-api nova-common nova-api placement-common placement-api \
         neutron-common neutron-server cinder-common cinder-api cinder-volume cinder-backup \
         cinder-scheduler swift swift-proxy octavia-common octavia-api manila-common manila-api; do
  for q in configure_db configure_rabbit configure_ksat configure_api-endpoint register-endpoint; do
    echo "$p $p/$q boolean false" >> "$sel"
  done
done
cat >> "$sel" <<SEL
keystone keystone/create-admin-tenant boolean false
keystone keystone/register-endpoint boolean false
nova-common nova/configure_neutron boolean false
nova-common nova/configure_placement boolean false
SEL
debconf-set-selections "$sel" 2>/dev/null || true
rm -f "$sel"

start=$(date +%s)
[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ] || apt-get update -qq
# Wait (rather than fail) while another apt run holds the dpkg lock.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends \
  "${missing[@]}" >/dev/null
echo "devcloud: installed ${#missing[@]} packages in $(( $(date +%s) - start )) s"
