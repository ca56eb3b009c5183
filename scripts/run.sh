#!/usr/bin/env bash
# Starts the service with demo data on http://127.0.0.1:5080 (API docs at /docs, OpenAPI at /openapi/v1.json,
# the office's web console at /admin/).
# MariaDB and Redis are private instances started by scripts/servers.sh; stop them with `scripts/servers.sh down`.
# Without WeChat__AppId/WeChat__AppSecret in the environment, the WeChat simulator stands in for WeChat on
# http://127.0.0.1:5081 and the simulator user "admin" is the demo SubDistrictAdmin (see README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/servers.sh up
eval "$(scripts/servers.sh env)"
export Database__ConnectionString Redis__Configuration
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
urls="${ASSOCIATION_URLS:-http://127.0.0.1:5080}"
simulator_url="${ASSOCIATION_SIMULATOR_URL:-http://127.0.0.1:5081}"

dotnet build Association.sln --configuration Release -v quiet -nologo
api_dir="$root/backend/Association.Api/bin/Release/net10.0"

# The office's web console, built into backend/admin-console/dist and served by the API at /admin/.
(cd "$root/backend/admin-console" && { npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; } && npm run -s build >/dev/null)
export Console__Root="${Console__Root:-$root/backend/admin-console/dist}"
simulator_dir="$root/backend/Association.WeChat.Simulator/bin/Release/net10.0"

# A development key for encrypted fields, made once per checkout and kept with the local data.
if [ -z "${FieldEncryption__ActiveKeyId:-}" ]; then
  for name in dev-field-key dev-lookup-key; do
    [ -s "$root/.local/$name" ] || head -c 32 /dev/urandom | base64 >"$root/.local/$name"
  done
  export FieldEncryption__ActiveKeyId=dev
  FieldEncryption__Keys__dev="$(cat "$root/.local/dev-field-key")"
  FieldEncryption__LookupKey="$(cat "$root/.local/dev-lookup-key")"
  export FieldEncryption__Keys__dev FieldEncryption__LookupKey
fi

simulator_pid=""
stop_simulator() { [ -n "$simulator_pid" ] && kill "$simulator_pid" 2>/dev/null || true; }
trap stop_simulator EXIT

if [ -z "${WeChat__AppId:-}" ] || [ -z "${WeChat__AppSecret:-}" ]; then
  echo "run: no WeChat credentials configured; starting the WeChat simulator on $simulator_url" >&2
  (cd "$simulator_dir" && exec dotnet Association.WeChat.Simulator.dll --urls "$simulator_url") >"$root/.local/simulator.log" 2>&1 &
  simulator_pid=$!
  for _ in $(seq 1 30); do
    curl -fsS "$simulator_url/_sim/stats" >/dev/null 2>&1 && break
    kill -0 "$simulator_pid" 2>/dev/null || { tail -n 20 "$root/.local/simulator.log" >&2; exit 1; }
    sleep 1
  done
  export WeChat__AppId=wxsimulator000001 WeChat__AppSecret=simulator-secret-not-for-production WeChat__BaseUrl="$simulator_url"
  openid_of() { curl -fsS "$simulator_url/_sim/openid?code=$1" | sed -n 's/.*"openid":"\([^"]*\)".*/\1/p'; }
  admin_openid="$(openid_of admin)"
  leader_openid="$(openid_of leader)"
  village_openid="$(openid_of village)"
  district_openid="$(openid_of district)"
fi

# The output folder is the content root, so appsettings*.json next to the binary are the ones read.
cd "$api_dir"
dotnet Association.Api.dll seed-demo
if [ -n "${admin_openid:-}" ]; then
  dotnet Association.Api.dll bootstrap-admin --openid "$admin_openid" --sub-district TX-DTP
  dotnet Association.Api.dll bootstrap-admin --openid "$district_openid" --district TX
  # A living association: members, patrols, reports, points, rankings, and to-dos for the simulator's leader and village admin.
  dotnet Association.Api.dll seed-demo --rich --leader-openid "$leader_openid" --village-openid "$village_openid"
else
  dotnet Association.Api.dll seed-demo --rich
fi
echo "Association API on $urls  (docs: $urls/docs, readiness: $urls/health/ready)" >&2
dotnet Association.Api.dll --urls "$urls"
