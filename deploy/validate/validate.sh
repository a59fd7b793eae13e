#!/usr/bin/env bash
# Renders a kustomize overlay (default: the example) and validates every object offline: schemas and cross-references.
#   deploy/validate/validate.sh [OVERLAY_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
overlay="${1:-$here/../kubernetes/overlays/example}"

command -v kubectl >/dev/null || { echo "validate.sh: kubectl is missing (apt-get install -y kubectl)" >&2; exit 2; }
command -v node >/dev/null || { echo "validate.sh: node is missing (Node 20 or later)" >&2; exit 2; }
# Pinned by package-lock.json; installed on first use.
[ -d "$here/node_modules" ] || npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2

rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$overlay" >"$rendered"
node "$here/validate.mjs" "$rendered"
