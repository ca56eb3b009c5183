#!/usr/bin/env bash
# Starts the service with demo data on http://127.0.0.1:5080 (API docs at /docs, OpenAPI at /openapi/v1.json).
# MariaDB and Redis are private instances started by scripts/servers.sh; stop them with `scripts/servers.sh down`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/servers.sh up
eval "$(scripts/servers.sh env)"
export Database__ConnectionString Redis__Configuration
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
urls="${ASSOCIATION_URLS:-http://127.0.0.1:5080}"

dotnet build backend/Association.Api/Association.Api.csproj --configuration Release -v quiet -nologo
# The output folder is the content root, so appsettings*.json next to the binary are the ones read.
cd backend/Association.Api/bin/Release/net10.0
api=(dotnet Association.Api.dll)

"${api[@]}" seed-demo
echo "Association API on $urls  (docs: $urls/docs, readiness: $urls/health/ready)" >&2
exec "${api[@]}" --urls "$urls"
