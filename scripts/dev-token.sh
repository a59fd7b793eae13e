#!/usr/bin/env bash
# Prints a token from the local run's development issuer (the AppHost's dev-issuer resource; start the system first
# with scripts/run.sh). With a company's identity provider configured (Auth:Authority), sign in there instead.
# Usage: scripts/dev-token.sh <user> <salesperson|manager> [hours, default 8]
set -euo pipefail
usage="usage: scripts/dev-token.sh <user> <salesperson|manager> [hours]"
user=${1:?$usage}
role=${2:?$usage}
hours=${3:-8}
case $role in salesperson|manager) ;; *) echo "role must be salesperson or manager" >&2; exit 2 ;; esac
[[ $user =~ ^[A-Za-z0-9._@-]{1,100}$ ]] || { echo "user: letters, digits and . _ @ - only" >&2; exit 2; }
[[ $hours =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "hours: a number" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
portfile=${FUNNEL_DATA:-$root/.data}/dev-issuer/port
[ -f "$portfile" ] || { echo "no development issuer here yet: start the system first (scripts/run.sh)" >&2; exit 1; }
if ! answer=$(curl -sS --fail-with-body -H 'Content-Type: application/json' \
  -d "{\"user\":\"$user\",\"role\":\"$role\",\"hours\":$hours}" "http://localhost:$(cat "$portfile")/token"); then
  echo "the development issuer did not sign: is the system running (scripts/run.sh)? ${answer:-}" >&2
  exit 1
fi
sed -E 's/.*"access_token":"([^"]+)".*/\1/' <<< "$answer"
