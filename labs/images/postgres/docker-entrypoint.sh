#!/bin/bash
# Entrypoint of breakfix/postgres:15. It honours the variables of the official postgres image
# (POSTGRES_PASSWORD[_FILE], POSTGRES_USER[_FILE], POSTGRES_DB[_FILE], POSTGRES_HOST_AUTH_METHOD,
# POSTGRES_INITDB_ARGS, /docker-entrypoint-initdb.d) so that lab compose files read like the
# ones learners meet at work, and its error messages read the same when a secret is missing.
set -Eeuo pipefail

TEMPLATE=/usr/share/breakfix/pgdata-template

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*" >&2; }

# file_env VAR [DEFAULT]: VAR may come from VAR or from the file named by VAR_FILE, never both.
file_env() {
	local var="$1" file_var="${1}_FILE" default="${2:-}" value
	if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
		log "error: both $var and $file_var are set (but are exclusive)"
		exit 1
	fi
	value="$default"
	if [ -n "${!var:-}" ]; then
		value="${!var}"
	elif [ -n "${!file_var:-}" ]; then
		if [ ! -r "${!file_var}" ]; then
			log "error: $file_var=${!file_var} is not a readable file"
			exit 1
		fi
		value="$(<"${!file_var}")"
	fi
	export "$var"="$value"
	unset "$file_var"
}

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }
sql_identifier() { printf '"%s"' "${1//\"/\"\"}"; }

# Runs as root only long enough to give the data directory to postgres, then re-executes itself
# as postgres: the server itself refuses to run as root.
if [ "$(id -u)" = 0 ] && [ "${1:-}" = postgres ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chmod 00700 "$PGDATA"
	chmod 02775 /var/run/postgresql
	find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi
if [ "${1:-}" != postgres ]; then
	exec "$@"
fi

initialise_data_dir() {
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	file_env POSTGRES_INITDB_ARGS
	local auth_method="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

	if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth_method" != trust ]; then
		cat >&2 <<-'EOM'
			Error: Database is uninitialized and superuser password is not specified.
			       You must specify POSTGRES_PASSWORD to a non-empty value for the
			       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

			       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
			       connections without a password. This is *not* recommended.
		EOM
		exit 1
	fi

	if [ -n "$(ls -A "$PGDATA")" ]; then
		log "error: $PGDATA is not empty and holds no database (no PG_VERSION); empty it or mount an empty volume"
		exit 1
	fi

	# initdb costs ~0.7 s; the cluster initialised at build time is a ~0.1 s copy. initdb still
	# runs when the learner asks for its options, so POSTGRES_INITDB_ARGS keeps its meaning.
	if [ -z "$POSTGRES_INITDB_ARGS" ] && [ -z "${POSTGRES_INITDB_WALDIR:-}" ] && [ -s "$TEMPLATE/PG_VERSION" ]; then
		log "initialising $PGDATA from the image's template cluster"
		cp -a "$TEMPLATE/." "$PGDATA/"
	else
		log "initialising $PGDATA with initdb"
		local -a waldir=()
		[ -n "${POSTGRES_INITDB_WALDIR:-}" ] && waldir=(--waldir "$POSTGRES_INITDB_WALDIR")
		# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
		initdb --username=postgres --encoding=UTF8 --locale=C.UTF-8 --no-instructions --no-sync \
			-D "$PGDATA" "${waldir[@]}" $POSTGRES_INITDB_ARGS
		sed -ri "s/^#?listen_addresses\s*=.*/listen_addresses = '*'/" "$PGDATA/postgresql.conf"
	fi
	printf '\nhost all all all %s\n' "$auth_method" >>"$PGDATA/pg_hba.conf"

	# Role, password and database are set in single-user mode: no server, no socket, ~50 ms.
	# The cluster's superuser (OID 10) is created as "postgres"; ALTER ROLE refuses to rename the
	# session user, and single-user mode always runs as OID 10, so a different POSTGRES_USER is
	# a direct catalogue update, harmless in a cluster nothing has used yet.
	local sql='' output
	if [ "$POSTGRES_USER" != postgres ]; then
		sql+="UPDATE pg_catalog.pg_authid SET rolname = $(sql_literal "$POSTGRES_USER") WHERE oid = 10;"$'\n\n'
	fi
	if [ -n "$POSTGRES_PASSWORD" ]; then
		sql+="ALTER ROLE $(sql_identifier "$POSTGRES_USER") WITH PASSWORD $(sql_literal "$POSTGRES_PASSWORD");"$'\n\n'
	fi
	if [ "$POSTGRES_DB" != postgres ]; then
		sql+="CREATE DATABASE $(sql_identifier "$POSTGRES_DB");"$'\n\n'
	fi
	if [ -n "$sql" ]; then
		output="$(printf '%s' "$sql" | postgres --single -j -c allow_system_table_mods=on -c log_min_messages=warning -D "$PGDATA" postgres 2>&1)"
		# Single-user mode exits 0 even when a statement fails, so its output is the verdict.
		if grep -Eq '(ERROR|FATAL|PANIC):' <<<"$output"; then
			log "error: setting up role and database failed:"
			if [ -n "$POSTGRES_PASSWORD" ]; then
				output="${output//"$POSTGRES_PASSWORD"/********}"
			fi
			printf '%s\n' "$output" >&2
			exit 1
		fi
	fi

	run_initdb_scripts
	log "PostgreSQL init process complete; ready for start up."
}

# /docker-entrypoint-initdb.d/*.sql|*.sql.gz|*.sh run once, against a server that listens on
# the local socket only, so nothing outside sees a half-initialised database.
run_initdb_scripts() {
	local -a scripts=()
	local f
	shopt -s nullglob
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in *.sh | *.sql | *.sql.gz) scripts+=("$f") ;; *) log "ignoring $f" ;; esac
	done
	shopt -u nullglob
	[ "${#scripts[@]}" -eq 0 ] && return 0

	PGUSER="$POSTGRES_USER" PGPASSWORD="$POSTGRES_PASSWORD" \
		pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >&2
	local -a psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname "$POSTGRES_DB")
	export PGPASSWORD="$POSTGRES_PASSWORD"
	for f in "${scripts[@]}"; do
		case "$f" in
		*.sh)
			if [ -x "$f" ]; then
				log "running $f"
				"$f"
			else
				log "sourcing $f"
				# shellcheck disable=SC1090
				. "$f"
			fi
			;;
		*.sql) log "running $f" && "${psql[@]}" -f "$f" >&2 ;;
		*.sql.gz) log "running $f" && gunzip -c "$f" | "${psql[@]}" >&2 ;;
		esac
	done
	unset PGPASSWORD
	pg_ctl -D "$PGDATA" -m fast -w stop >&2
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	initialise_data_dir
else
	log "PostgreSQL database directory appears to contain a database; skipping initialisation"
fi

# Passwords and usernames from the environment have done their job; the server does not need them.
unset POSTGRES_PASSWORD
exec "$@"
