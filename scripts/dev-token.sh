#!/usr/bin/env bash
# Prints a token the local run accepts (HS256, signed with the run's key in .data/jwt-signing-key).
# Usage: scripts/dev-token.sh <user> <salesperson|manager> [hours, default 8]
set -euo pipefail
user=${1:?usage: scripts/dev-token.sh <user> <salesperson|manager> [hours]}
role=${2:?usage: scripts/dev-token.sh <user> <salesperson|manager> [hours]}
hours=${3:-8}
case $role in salesperson|manager) ;; *) echo "role must be salesperson or manager" >&2; exit 2 ;; esac
[[ $user =~ ^[A-Za-z0-9._@-]+$ ]] || { echo "user: letters, digits and . _ @ - only" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
keyfile=${FUNNEL_DATA:-$root/.data}/jwt-signing-key
if [ ! -f "$keyfile" ]; then
  # The first token before the first run makes the key; the AppHost then uses the same one.
  mkdir -p "$(dirname "$keyfile")"
  openssl rand -base64 32 | tr -d '\n' > "$keyfile"
fi

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"%s","role":"%s","iss":"funnel","aud":"funnel-api","iat":%d,"exp":%d}' \
  "$user" "$role" "$now" $((now + hours * 3600)) | b64url)
hexkey=$(openssl base64 -d -A < "$keyfile" | od -An -tx1 | tr -d ' \n')
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hexkey" -binary | b64url)
echo "$header.$payload.$signature"
