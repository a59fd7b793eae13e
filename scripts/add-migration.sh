#!/usr/bin/env bash
# Adds an EF Core migration named $1 for both providers (SQLite and SQL Server) in every service that has a model.
# Usage: scripts/add-migration.sh AddQuoteNotes
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh MigrationName}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
for service in Leads Qualification Quoting Orders Pipeline; do
  project="services/$service/$service.csproj"
  dotnet build "$project" -v q -nologo >/dev/null
  for provider in Sqlite SqlServer; do
    dotnet ef migrations add "$name" --no-build --project "$project" \
      --context "${provider}${service}DbContext" --output-dir "Data/Migrations/$provider"
  done
done
