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
source "$root/scripts/test-stack.sh"
start_stack console "$root/.local/console"
# Tickets live 15 s here, so the browser can watch one expire.
export Console__Root="$console/dist" Console__TicketSeconds=15
seed_and_start_api "seed-demo" \
  "bootstrap-admin --openid '$(openid_of admin)' --sub-district TX-DTP" \
  "bootstrap-admin --openid '$(openid_of district)' --district TX" \
  "seed-demo --rich --leader-openid '$(openid_of leader)' --village-openid '$(openid_of village)'"

cd "$console"
CONSOLE_URL="$api_url" CONSOLE_TEST_JUNIT="$junit_file" CONSOLE_TEST_OUTPUT="$results/console-output" \
  CONSOLE_SCREENSHOTS="$results/console-screenshots" npx playwright test ${CONSOLE_TEST_GREP:+--grep "$CONSOLE_TEST_GREP"}
