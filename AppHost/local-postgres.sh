#!/usr/bin/env bash
# The machine's PostgreSQL server run as the AppHost's own database server (AppHost/LocalPostgres.cs): a data folder
# and port of its own, one database and one login per service, each login allowed into its own database only.
# Environment: PG_BIN, PG_DATA, PG_PORT, PG_SECRETS (a folder with one password file per database), PG_DATABASES.
# `local-postgres.sh logins` (run by the supervisor once the server answers) makes the logins and databases.
set -euo pipefail

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = logins ]; then
  # Made once; their passwords set on every start (the files are the truth).
  {
    echo '\set ON_ERROR_STOP on'
    for database in $PG_DATABASES; do
      password=$(cat "$PG_SECRETS/$database")
      echo "SELECT 'CREATE ROLE $database LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$database')\\gexec"
      echo "ALTER ROLE $database LOGIN PASSWORD '$password';"
      echo "SELECT 'CREATE DATABASE $database OWNER $database' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database')\\gexec"
      echo "REVOKE ALL ON DATABASE $database FROM PUBLIC;"
    done
  } | as_postgres "$PG_BIN/psql" -q -h "$PG_DATA" -p "$PG_PORT" -U funnel -d postgres >/dev/null
  exit 0
fi

# The server refuses to run as root; as root it runs as the postgres user, who must reach the data folder.
mkdir -p "$PG_DATA"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PG_DATA"
  if ! runuser -u postgres -- test -x "$PG_DATA"; then
    echo "The postgres user cannot reach $PG_DATA: a folder above it is closed to other users (mode 0700, like" \
         "/root). Put the data folder elsewhere (Funnel:DataPath) or open its parents to traversal (chmod o+x)." >&2
    exit 1
  fi
fi
chmod 700 "$PG_DATA"

if [ ! -s "$PG_DATA/PG_VERSION" ]; then
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U funnel -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
fi

# The socket lives in the data folder (mode 0700), so only the server's own user reaches the trusted local login.
{
  echo "local all funnel trust"
  for database in $PG_DATABASES; do
    echo "host $database $database 127.0.0.1/32 scram-sha-256"
  done
} > "$PG_DATA/pg_hba.conf"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA/pg_hba.conf"; fi

# A server left running by a run that was killed holds the folder: stop it first.
if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m immediate >/dev/null
fi

# The orchestrator starts this with SIGTERM ignored, which a shell may not trap; the Perl supervisor can, and turns a
# stop into PostgreSQL's fast shutdown (its default, smart one waits for the services' pooled connections forever).
if [ "$(id -u)" -eq 0 ]; then
  server=(setpriv --reuid=postgres --regid=postgres --init-groups --)
else
  server=()
fi
server+=("$PG_BIN/postgres" -D "$PG_DATA" -p "$PG_PORT" -k "$PG_DATA" -c listen_addresses=127.0.0.1
  -c password_encryption=scram-sha-256 -c max_connections=300)
exec perl "$(dirname "$0")/local-postgres-supervise.pl" "$0" "${server[@]}"
