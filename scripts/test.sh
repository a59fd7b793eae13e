#!/usr/bin/env bash
# Runs every test: the unit tests and the end-to-end tests, which start the real AppHost once. Ends with the line
# "N passed, N failed, N skipped" (dotnet test prints no single total across test projects).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh

log=$(mktemp)
dotnet test Funnel.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly ends with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..." (or "Failed!  - ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- ' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or the test host failed before any test could report
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
