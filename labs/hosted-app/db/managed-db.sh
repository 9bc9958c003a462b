#!/bin/bash
# Entrypoint of the managed database: writes pg_hba.conf for the network this container is on,
# then hands over to breakfix/postgres's entrypoint (which initialises the data on first start).
set -Eeuo pipefail
log() { printf '%s [managed-db] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*" >&2; }

hex_ip() { printf '%d.%d.%d.%d' "0x${1:6:2}" "0x${1:4:2}" "0x${1:2:2}" "0x${1:0:2}"; }
# The directly connected route of the first interface: its destination and mask (little-endian hex).
read -r dest mask < <(awk 'NR > 1 && $3 == "00000000" && $2 != "00000000" { print $2, $8; exit }' /proc/net/route)
if [ -z "${dest:-}" ]; then
	log "error: no network route found; the database must be on the lab's data network"
	exit 1
fi
bits=$((0x$mask)) prefix=0
while [ "$bits" -gt 0 ]; do prefix=$((prefix + (bits & 1))) bits=$((bits >> 1)); done
subnet="$(hex_ip "$dest")/$prefix"

install -d -o postgres -g postgres -m 0755 /run/managed-db
sed "s#@APP_SUBNET@#$subnet#g" /etc/managed-db/pg_hba.conf >/run/managed-db/pg_hba.conf
chown postgres:postgres /run/managed-db/pg_hba.conf
log "clients allowed from $subnet, TLS and scram-sha-256 only"
# The platform's folder for manual dumps, on the database's volume beside the data (pgdata/).
install -d -o postgres -g postgres -m 0750 /var/lib/postgresql/data/backups
exec docker-entrypoint.sh "$@"
