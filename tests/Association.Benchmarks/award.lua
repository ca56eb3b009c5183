-- wrk script: POST /api/points/awards with a unique source per request and a random member.
-- Environment: TOKEN (bearer), FIRST_MEMBER, LAST_MEMBER.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  first_member = tonumber(os.getenv("FIRST_MEMBER"))
  last_member = tonumber(os.getenv("LAST_MEMBER"))
  base = 8000000000 + thread_id * 100000000 + math.random(0, 99999) * 1000
  math.randomseed(os.time() + thread_id)
end

function request()
  counter = counter + 1
  local member = math.random(first_member, last_member)
  local body = string.format(
    '{"memberId":%d,"workKind":"InsuranceEnrolled","sourceKind":"Bench","sourceId":%d,"units":1,"occurredAt":"%s"}',
    member, base + counter, os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", "/api/points/awards", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("api requests=%d rps=%.0f p50=%.2fms p99=%.2fms non2xx=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
