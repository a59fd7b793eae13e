#!/usr/bin/env bash
# The contract's own check (run by the test suite): the committed document lints clean with Redocly's recommended
# rules, the committed client is what openapi-typescript makes of it, and the client with its usage type-checks.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
npx --no-install redocly lint openapi.json --config redocly.yaml --format stylish
fresh=$(mktemp --suffix .ts)
trap 'rm -f "$fresh"' EXIT
npx --no-install openapi-typescript openapi.json -o "$fresh" >/dev/null
if ! diff -q src/schema.ts "$fresh" >/dev/null; then
  echo "src/schema.ts is not what openapi-typescript makes of openapi.json: run scripts/update-api-client.sh" >&2
  diff -u src/schema.ts "$fresh" | head -40 >&2
  exit 1
fi
npx --no-install tsc --noEmit -p tsconfig.json
echo "client: lint, generation and type-check passed"
