#!/usr/bin/env bash
# Brings the committed API document and the typed client up to date with what a running gateway serves.
# Usage: scripts/update-api-client.sh [gateway-url]   (default http://localhost:5080; start the system first)
set -euo pipefail
gateway=${1:-http://localhost:5080}
client="$(cd "$(dirname "$0")/.." && pwd)/clients/typescript"
curl -sSf "$gateway/openapi/v1.json" -o "$client/openapi.json.new"
# The committed copy names the default local gateway, whatever address served it.
node -e '
  const fs = require("fs");
  const doc = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  doc.servers = [{ url: "http://localhost:5080", description: "This gateway" }];
  fs.writeFileSync(process.argv[2], JSON.stringify(doc, null, 2) + "\n");
' "$client/openapi.json.new" "$client/openapi.json"
rm "$client/openapi.json.new"
cd "$client"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
npx --no-install openapi-typescript openapi.json -o src/schema.ts
echo "updated clients/typescript/openapi.json and src/schema.ts from $gateway"
