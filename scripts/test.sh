#!/usr/bin/env bash
# Runs every test against private MariaDB and Redis instances (started here when not running).
# Ends with one line "N passed, N failed" counted from the test results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/servers.sh up
eval "$(scripts/servers.sh env)"
export Database__ConnectionString Redis__Configuration

results="$root/.local/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test Association.sln --configuration Release \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@" || status=$?

# A second pass with the test process's clock moved (libfaketime), so a test or a line of the service that
# hard-codes a date fails today rather than on the day it goes off. The default is a year ahead, on the last
# evening of that quarter in UTC, which is already the next quarter in China.
install_faketime() {
  command -v faketime >/dev/null 2>&1 && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "test: installing faketime with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq faketime >/dev/null
}
moved_date() {
  local year month last_month
  year="$(date -u -d '+1 year' +%Y)"
  month="$(date -u -d '+1 year' +%-m)"
  last_month=$(( ((month - 1) / 3 + 1) * 3 ))
  date -u -d "$year-$(printf %02d "$last_month")-01 +1 month -1 day" '+%Y-%m-%d 18:00:00'
}
if [ "$status" -eq 0 ] && [ "${ASSOCIATION_MOVED_PASS:-1}" != 0 ]; then
  install_faketime
  moved="${ASSOCIATION_MOVED_DATE:-$(moved_date)}"
  echo "test: second pass of the .NET tests with the clock at $moved UTC" >&2
  TZ=UTC faketime "$moved" dotnet test tests/Association.Tests/Association.Tests.csproj --configuration Release --no-build \
    --logger "trx;LogFilePrefix=moved-clock" --results-directory "$results" "$@" || status=$?
fi

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

# The house style (.editorconfig): formatting, usings and naming, counted as one check.
if dotnet format Association.sln --verify-no-changes --no-restore >"$results/format.log" 2>&1; then
  passed=$((passed + 1))
else
  echo "dotnet format found code that is not in the house style (run: dotnet format Association.sln):" >&2
  tail -n 20 "$results/format.log" >&2
  failed=$((failed + 1))
fi

# The mini-program contract suite: the client against the live backend and the WeChat simulator.
contracts_status=0
scripts/contracts-test.sh "$results/contracts.tap" || contracts_status=$?
tap_count() { { grep -E "^# $1 [0-9]+$" "$results/contracts.tap" 2>/dev/null || true; } | tail -n 1 | grep -oE '[0-9]+' || true; }
p="$(tap_count pass)"
f="$(tap_count fail)"
c="$(tap_count cancelled)"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0} + ${c:-0}))
if [ "$contracts_status" -ne 0 ] && [ "${f:-0}" -eq 0 ] && [ "${c:-0}" -eq 0 ]; then
  # The suite could not start (npm, tsc --strict, the backend): count that as a failure.
  failed=$((failed + 1))
fi

# The web console in a real browser (Debian's chromium driven by Playwright), counted from its JUnit report.
console_status=0
scripts/console-test.sh "$results/console-junit.xml" || console_status=$?
junit_count() { { grep -o "<testsuites [^>]*>" "$results/console-junit.xml" 2>/dev/null || true; } | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" | head -n 1; }
t="$(junit_count tests)"
f="$(junit_count failures)"
e="$(junit_count errors)"
passed=$((passed + ${t:-0} - ${f:-0} - ${e:-0}))
failed=$((failed + ${f:-0} + ${e:-0}))
if [ "$console_status" -ne 0 ] && [ "${f:-0}" -eq 0 ] && [ "${e:-0}" -eq 0 ]; then
  failed=$((failed + 1))
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the runner failed before any test could report; count that as a failure.
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test ran" >&2
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
