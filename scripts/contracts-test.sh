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
source "$root/scripts/test-stack.sh"
start_stack contracts "$root/.local/contracts"
seed_and_start_api "seed-demo" "bootstrap-admin --openid '$(openid_of admin)' --sub-district TX-DTP"

cd "$contracts"
npx tsc --project tsconfig.json --noEmit
rm -rf build
npx tsc --project tsconfig.test.json
ASSOCIATION_API_URL="$api_url" ASSOCIATION_ADMIN_USER=admin node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap_file" \
  build/test/*.test.js
