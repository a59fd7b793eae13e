#!/usr/bin/env bash
# Moves an installation's data from its SQLite files to a server database: every record, stored event, outbox and inbox
# row of each service, counted on both sides. Stop the system first; the SQLite files are left as they were.
#
# Usage: scripts/move-data.sh postgres|sqlserver [--data DIR] [--no-build]
#   --data DIR   the installation's data folder (default .data): DIR/<service>-db.db
#   target       ConnectionStrings__<service>-db from the environment (leads-db ... pipeline-db) for a server you run;
#                for postgres without them, the local server that `Funnel__Database=postgres ./scripts/run.sh` runs
#                from DIR/postgres, which this script starts for the move and stops after it.
# Each target database must be empty: a move never mixes two installations.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

provider=${1:-}
case $provider in postgres|sqlserver) shift ;; *) echo "usage: scripts/move-data.sh postgres|sqlserver [--data DIR] [--no-build]" >&2; exit 2 ;; esac
data=$root/.data
build=()
while [ $# -gt 0 ]; do
  case $1 in
    --data) data=$(cd "$2" && pwd); shift 2 ;;
    --no-build) build=(--no-build); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
services=(leads qualification quoting orders pipeline)
declare -A project=([leads]=Leads [qualification]=Qualification [quoting]=Quoting [orders]=Orders [pipeline]=Pipeline)

for service in "${services[@]}"; do
  [ -f "$data/$service-db.db" ] || { echo "No SQLite database at $data/$service-db.db" >&2; exit 1; }
done

declare -A target
server_pid=
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap stop_server EXIT

if [ -n "$(printenv "ConnectionStrings__leads-db" || true)" ]; then
  for service in "${services[@]}"; do
    target[$service]=$(printenv "ConnectionStrings__$service-db") ||
      { echo "ConnectionStrings__$service-db is not set" >&2; exit 1; }
  done
elif [ "$provider" = postgres ]; then
  # The AppHost's local server (AppHost/LocalPostgres.cs): same folder, same login per service, passwords in secrets/.
  secrets=$data/secrets/postgres
  mkdir -p "$secrets" && chmod 700 "$secrets"
  chmod o+x "$data" # the server runs as the postgres user when this runs as root
  for service in "${services[@]}"; do
    if [ ! -s "$secrets/$service" ]; then
      (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' > "$secrets/$service")
    fi
  done
  port=$((20000 + RANDOM % 10000))
  while (: > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 10000)); done
  PG_BIN=/usr/lib/postgresql/15/bin PG_DATA=$data/postgres PG_PORT=$port PG_SECRETS=$secrets \
    PG_DATABASES="${services[*]}" bash AppHost/local-postgres.sh > "$data/postgres-move.log" 2>&1 &
  server_pid=$!
  for service in "${services[@]}"; do
    target[$service]="Host=127.0.0.1;Port=$port;Database=$service;Username=$service;Password=$(cat "$secrets/$service")"
  done
  for _ in $(seq 120); do
    PGPASSWORD=$(cat "$secrets/pipeline") /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$port" -U pipeline \
      -d pipeline -c 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null ||
      { echo "The local PostgreSQL server did not start:" >&2; cat "$data/postgres-move.log" >&2; exit 1; }
    sleep 0.5
  done
else
  echo "Set ConnectionStrings__<service>-db for each service's SQL Server database." >&2
  exit 1
fi

# Each service moves its own data through its own model (services/Infrastructure/Data/DataMove.cs), then stops.
for service in "${services[@]}"; do
  echo "== $service"
  dotnet run --project "services/${project[$service]}" --no-launch-profile "${build[@]}" -- \
    --Database:Provider="$provider" --ConnectionStrings:"$service-db"="${target[$service]}" \
    --Database:MoveFrom="Data Source=$data/$service-db.db" \
    --ConnectionStrings:messaging=amqp://not-used-by-a-move \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=None
done
echo "Moved: start the system on $provider with this data (Funnel__Database=$provider, or your connection strings)."
