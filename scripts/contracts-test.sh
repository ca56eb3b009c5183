#!/usr/bin/env bash
# The mini-program contract suite (miniprogram-contracts/): type-checks the client with tsc --strict, then runs
# Node's test runner against the real backend and the WeChat simulator, both started here on free loopback ports
# with a fresh database. Usage: scripts/contracts-test.sh [TAP_FILE]  (TAP_FILE receives the results to count).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tap_file="${1:-$root/.local/contracts.tap}"
mkdir -p "$(dirname "$tap_file")" "$root/.local"

scripts/servers.sh up >/dev/null
eval "$(scripts/servers.sh env)"

contracts="$root/miniprogram-contracts"
if ! (cd "$contracts" && npm ls --depth=0 >/dev/null 2>&1); then
  (cd "$contracts" && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build Association.sln --configuration Release -v quiet -nologo >/dev/null
api_dir="$root/backend/Association.Api/bin/Release/net10.0"
simulator_dir="$root/backend/Association.WeChat.Simulator/bin/Release/net10.0"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
api_url="http://127.0.0.1:$(free_port)"
simulator_url="http://127.0.0.1:$(free_port)"
logs="$root/.local/contracts"
mkdir -p "$logs"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() {
  local url="$1" pid="$2" log="$3"
  for _ in $(seq 1 60); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; return 1; }
    sleep 0.5
  done
  tail -n 30 "$log" >&2
  return 1
}

(cd "$simulator_dir" && exec dotnet Association.WeChat.Simulator.dll --urls "$simulator_url") >"$logs/simulator.log" 2>&1 &
pids+=($!)
wait_for "$simulator_url/_sim/stats" "${pids[-1]}" "$logs/simulator.log"

database="association_contracts"
scripts/servers.sh fresh-db "$database"
export Database__ConnectionString="${Database__ConnectionString/Database=association/Database=$database}"
export Redis__Configuration
export Redis__KeyPrefix="contracts-$(date +%s)-$$:"
export WeChat__AppId=wxsimulator000001 WeChat__AppSecret=simulator-secret-not-for-production WeChat__BaseUrl="$simulator_url"
export FieldEncryption__ActiveKeyId=contracts
FieldEncryption__Keys__contracts="$(head -c 32 /dev/urandom | base64)"
FieldEncryption__LookupKey="$(head -c 32 /dev/urandom | base64)"
export FieldEncryption__Keys__contracts FieldEncryption__LookupKey
export Photos__Root="$logs/photos"
export Jobs__RunServer=false Auth__LoginsPerAddressPerMinute=10000 Auth__LoginsPerOpenIdPerMinute=10000
export ASPNETCORE_ENVIRONMENT=Production

admin_openid="$(curl -fsS "$simulator_url/_sim/openid?code=admin" | sed -n 's/.*"openid":"\([^"]*\)".*/\1/p')"
(cd "$api_dir" && dotnet Association.Api.dll seed-demo && dotnet Association.Api.dll bootstrap-admin --openid "$admin_openid" --sub-district TX-DTP) >"$logs/setup.log" 2>&1 \
  || { tail -n 30 "$logs/setup.log" >&2; exit 1; }
(cd "$api_dir" && exec dotnet Association.Api.dll --urls "$api_url") >"$logs/api.log" 2>&1 &
pids+=($!)
wait_for "$api_url/health/ready" "${pids[-1]}" "$logs/api.log"

cd "$contracts"
npx tsc --project tsconfig.json --noEmit
rm -rf build
npx tsc --project tsconfig.test.json
ASSOCIATION_API_URL="$api_url" ASSOCIATION_ADMIN_USER=admin node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap_file" \
  build/test/*.test.js
