-- wrk script: POST /api/points/awards with a unique source per request and a random member.
-- Environment: TOKEN (bearer), FIRST_MEMBER, LAST_MEMBER; KEYED=1 sends a new Idempotency-Key with every request, as a
-- phone that may retry does.
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
  math.randomseed(os.time() * 100 + thread_id)
  -- New sources in every run: each run starts at least a second after the last (10^7 ids per second), each thread
  -- has 5 * 10^5 of them. (The base used to come from the unseeded generator, the same in every run, so a run
  -- after the warm-up repeated the warm-up's sources and measured "already awarded" answers.)
  base = (os.time() % 100000000) * 10000000 + thread_id * 500000
  keyed = os.getenv("KEYED") == "1"
  created = 0
  repeated = 0
end

function response(status, headers, body)
  if status == 201 then created = created + 1 elseif status == 200 then repeated = repeated + 1 end
end

function request()
  counter = counter + 1
  local member = math.random(first_member, last_member)
  local body = string.format(
    '{"memberId":%d,"workKind":"InsuranceEnrolled","sourceKind":"Bench","sourceId":%d,"units":1,"occurredAt":"%s"}',
    member, base + counter, os.date("!%Y-%m-%dT%H:%M:%SZ"))
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
  if keyed then
    headers["Idempotency-Key"] = string.format("bench-%d", base + counter)
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
