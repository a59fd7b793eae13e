#!/usr/bin/env bash
# Adds an EF Core migration named $1, for every provider (SQLite, SQL Server, PostgreSQL), to every service whose model changed.
# Usage: scripts/add-migration.sh AddQuoteNotes
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh MigrationName}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
for service in Leads Qualification Quoting Orders Pipeline; do
  project="services/$service/$service.csproj"
  dotnet build "$project" -v q -nologo >/dev/null
  for provider in Sqlite SqlServer Postgres; do
    context="${provider}${service}DbContext"
    if dotnet ef migrations has-pending-model-changes --no-build --project "$project" --context "$context" >/dev/null 2>&1; then
      continue
    fi
    dotnet ef migrations add "$name" --no-build --project "$project" --context "$context" \
      --output-dir "Data/Migrations/$provider"
  done
done
