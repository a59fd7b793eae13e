#!/usr/bin/env bash
# The benchmark (bench/): brings the whole system up (twice: Qualification with one replica, then two), loads it
# through the gateway, prints the figures and writes them to BENCHMARKS.md. `--quick` runs each measure for seconds
# (the smoke test in the suite); it shows the tool works, not the speed. Release build, as a deployment would run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
dotnet build bench/Funnel.Bench.csproj -c Release -v quiet -nologo
exec dotnet bench/bin/Release/net10.0/Funnel.Bench.dll "$@"
