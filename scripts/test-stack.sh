# Sourced by the suites that run against a live stack (contracts-test.sh, console-test.sh): the built API and the
# WeChat simulator on free loopback ports, over a fresh database of their own. Expects $root; sets $api_dir,
# $simulator_url and $api_url; stops what it started when the suite exits.

api_dir="$root/backend/Association.Api/bin/Release/net10.0"
simulator_dir="$root/backend/Association.WeChat.Simulator/bin/Release/net10.0"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

stack_pids=()
stop_stack() { for pid in "${stack_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_stack EXIT

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

openid_of() { curl -fsS "$simulator_url/_sim/openid?code=$1" | sed -n 's/.*"openid":"\([^"]*\)".*/\1/p'; }

# start_stack NAME LOGS: the simulator, then the environment of an API on the fresh database association_NAME.
start_stack() {
  local name="$1"
  stack_logs="$2"
  mkdir -p "$stack_logs"
  simulator_url="http://127.0.0.1:$(free_port)"
  api_url="http://127.0.0.1:$(free_port)"
  (cd "$simulator_dir" && exec dotnet Association.WeChat.Simulator.dll --urls "$simulator_url") >"$stack_logs/simulator.log" 2>&1 &
  stack_pids+=($!)
  wait_for "$simulator_url/_sim/stats" "${stack_pids[-1]}" "$stack_logs/simulator.log"

  scripts/servers.sh fresh-db "association_$name"
  export Database__ConnectionString="${Database__ConnectionString/Database=association/Database=association_$name}"
  export Redis__Configuration
  export Redis__KeyPrefix="$name-$(date +%s)-$$:"
  export WeChat__AppId=wxsimulator000001 WeChat__AppSecret=simulator-secret-not-for-production WeChat__BaseUrl="$simulator_url"
  export FieldEncryption__ActiveKeyId="$name"
  export "FieldEncryption__Keys__$name=$(head -c 32 /dev/urandom | base64)"
  FieldEncryption__LookupKey="$(head -c 32 /dev/urandom | base64)"
  export FieldEncryption__LookupKey
  export Photos__Root="$stack_logs/photos"
  export Jobs__RunServer=false Auth__LoginsPerAddressPerMinute=10000 Auth__LoginsPerOpenIdPerMinute=10000
  export ASPNETCORE_ENVIRONMENT=Production
}

# seed_and_start_api COMMAND...: runs each `dotnet Association.Api.dll` command line given (quoted), then the API.
seed_and_start_api() {
  local command
  for command in "$@"; do
    (cd "$api_dir" && eval "dotnet Association.Api.dll $command") >>"$stack_logs/setup.log" 2>&1 \
      || { tail -n 30 "$stack_logs/setup.log" >&2; exit 1; }
  done
  (cd "$api_dir" && exec dotnet Association.Api.dll --urls "$api_url") >"$stack_logs/api.log" 2>&1 &
  stack_pids+=($!)
  wait_for "$api_url/health/ready" "${stack_pids[-1]}" "$stack_logs/api.log"
}
