#!/usr/bin/env bash
# The web console's browser tests (backend/admin-console/e2e): builds the console, starts the WeChat simulator and
# the API (serving the build at /admin/) on free loopback ports with a fresh database and the rich demo, and drives
# Debian's chromium with Playwright. Usage: scripts/console-test.sh [JUNIT_FILE]  (receives the results to count).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
junit_file="${1:-$root/.local/console-junit.xml}"
results="$(dirname "$junit_file")"
mkdir -p "$results" "$root/.local"

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "console-test: installing chromium with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

scripts/servers.sh up >/dev/null
eval "$(scripts/servers.sh env)"

console="$root/backend/admin-console"
(cd "$console" && { npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; } && npm run -s build >/dev/null)

dotnet build Association.sln --configuration Release -v quiet -nologo >/dev/null
api_dir="$root/backend/Association.Api/bin/Release/net10.0"
simulator_dir="$root/backend/Association.WeChat.Simulator/bin/Release/net10.0"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
api_url="http://127.0.0.1:$(free_port)"
simulator_url="http://127.0.0.1:$(free_port)"
logs="$root/.local/console"
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

database="association_console"
scripts/servers.sh fresh-db "$database"
export Database__ConnectionString="${Database__ConnectionString/Database=association/Database=$database}"
export Redis__Configuration
export Redis__KeyPrefix="console-$(date +%s)-$$:"
export WeChat__AppId=wxsimulator000001 WeChat__AppSecret=simulator-secret-not-for-production WeChat__BaseUrl="$simulator_url"
export FieldEncryption__ActiveKeyId=console
FieldEncryption__Keys__console="$(head -c 32 /dev/urandom | base64)"
FieldEncryption__LookupKey="$(head -c 32 /dev/urandom | base64)"
export FieldEncryption__Keys__console FieldEncryption__LookupKey
# Tickets live 15 s here, so the browser can watch one expire.
export Photos__Root="$logs/photos" Console__Root="$console/dist" Console__TicketSeconds=15
export Jobs__RunServer=false Auth__LoginsPerAddressPerMinute=10000 Auth__LoginsPerOpenIdPerMinute=10000
export ASPNETCORE_ENVIRONMENT=Production

openid_of() { curl -fsS "$simulator_url/_sim/openid?code=$1" | sed -n 's/.*"openid":"\([^"]*\)".*/\1/p'; }
(cd "$api_dir" && dotnet Association.Api.dll seed-demo \
  && dotnet Association.Api.dll bootstrap-admin --openid "$(openid_of admin)" --sub-district TX-DTP \
  && dotnet Association.Api.dll bootstrap-admin --openid "$(openid_of district)" --district TX \
  && dotnet Association.Api.dll seed-demo --rich --leader-openid "$(openid_of leader)" --village-openid "$(openid_of village)") >"$logs/setup.log" 2>&1 \
  || { tail -n 30 "$logs/setup.log" >&2; exit 1; }
(cd "$api_dir" && exec dotnet Association.Api.dll --urls "$api_url") >"$logs/api.log" 2>&1 &
pids+=($!)
wait_for "$api_url/health/ready" "${pids[-1]}" "$logs/api.log"

cd "$console"
CONSOLE_URL="$api_url" CONSOLE_TEST_JUNIT="$junit_file" CONSOLE_TEST_OUTPUT="$results/console-output" \
  CONSOLE_SCREENSHOTS="$results/console-screenshots" npx playwright test
