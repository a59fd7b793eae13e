#!/usr/bin/env bash
# Runs the whole system: the AppHost, the Aspire dashboard, RabbitMQ, a database per service, the five services and
# the gateway on http://localhost:5080. Ctrl+C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
exec dotnet run --project AppHost --launch-profile http "$@"
