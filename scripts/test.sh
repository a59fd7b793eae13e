#!/usr/bin/env bash
# Runs every test: the unit tests and the end-to-end tests, which start the real AppHost once, then checks the code
# against the repository's style (.editorconfig, `dotnet format --verify-no-changes`: a difference counts as one failed
# test; `dotnet format Funnel.sln` fixes it). Extra arguments go to `dotnet test` (e.g. --filter). Ends with the line
# "N passed, N failed, N skipped", summed from the TRX results of every test project (dotnet test prints no single total).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
# The web app's test drives Debian's Chromium with playwright-core (Playwright's own browser downloads fail here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium from Debian (the web app's browser test)..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

results=$(mktemp -d)
dotnet test Funnel.sln --results-directory "$results" --logger "trx" "$@"
status=$?

read -r passed failed skipped < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "\""); key = kv[1]; sub(/=$/, "", key); n[key] += kv[2] } }
  END { failed = n["failed"] + n["error"] + n["timeout"] + n["aborted"]
        printf "%d %d %d\n", n["passed"], failed, n["total"] - n["passed"] - failed }')
rm -rf "$results"
if ! dotnet format Funnel.sln --verify-no-changes --no-restore; then
  echo "The code differs from the repository's style: run dotnet format Funnel.sln" >&2
  failed=$((failed + 1))
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before its tests could report
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
