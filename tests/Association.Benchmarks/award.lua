-- wrk script: POST /api/points/awards of a confirmed patrol participation per request, each its own (BenchSources.cs).
-- Environment: TOKEN (bearer), FIRST_MEMBER, LAST_MEMBER, OCCURRED_AT (the patrols' start), SLOT_BASE and SLOTS (this
-- run's range of slots, split between the threads); KEYED=1 sends a new Idempotency-Key with every request, as a phone
-- that may retry does.
local counter = 0
-- thread_id is the global each thread receives from setup(); a local of that name would hide it.
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  first_member = tonumber(os.getenv("FIRST_MEMBER"))
  last_member = tonumber(os.getenv("LAST_MEMBER"))
  members = last_member - first_member + 1
  occurred_at = os.getenv("OCCURRED_AT")
  -- Two threads (wrk -t2) share the range: each draws from its own half.
  slot_base = tonumber(os.getenv("SLOT_BASE")) + (thread_id - 1) * math.floor(tonumber(os.getenv("SLOTS")) / 2)
  keyed = os.getenv("KEYED") == "1"
  created = 0
  repeated = 0
end

function response(status, headers, body)
  if status == 201 then created = created + 1 elseif status == 200 then repeated = repeated + 1 end
end

function request()
  counter = counter + 1
  local slot = slot_base + counter - 1
  local member = first_member + slot % members
  local body = string.format(
    '{"memberId":%d,"workKind":"PatrolCompleted","sourceKind":"Patrol","sourceId":%d,"units":1,"occurredAt":"%s"}',
    member, slot + 1, occurred_at)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
  if keyed then
    headers["Idempotency-Key"] = string.format("bench-%d", slot)
  end
  return wrk.format("POST", "/api/points/awards", headers, body)
end

function done(summary, latency, requests)
  local all_created, all_repeated = 0, 0
  for _, thread in ipairs(threads) do
    all_created = all_created + thread:get("created")
    all_repeated = all_repeated + thread:get("repeated")
  end
  io.write(string.format("api requests=%d rps=%.0f p50=%.2fms p99=%.2fms non2xx=%d created=%d repeated=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, all_created, all_repeated))
end
