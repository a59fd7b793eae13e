#!/usr/bin/env bash
# Prints the environment the rendered overlay gives a service's container, as KEY=VALUE lines (Secrets as
# <secret:NAME/KEY> placeholders). Options after the service go to env-for.mjs (--job, --container NAME, --files DIR).
#   deploy/validate/env-for.sh SERVICE [--overlay DIR] [--job] [--files DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
overlay="$here/../kubernetes/overlays/example"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --overlay) overlay="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -gt 0 ] || { echo "usage: env-for.sh SERVICE [--overlay DIR] [--job] [--container NAME] [--files DIR]" >&2; exit 2; }
[ -d "$here/node_modules" ] || npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2

rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$overlay" >"$rendered"
node "$here/env-for.mjs" "$rendered" "${args[@]}"
