-- wrk script: POST /api/v1/items with a fresh draft per request (SPEC §5).
-- Every response other than 201 counts as an error; done() prints the figures bench.sh reports.
-- The API key comes from SIGNOFF_BENCH_KEY (scripts/bench.sh sets it).

local key = os.getenv("SIGNOFF_BENCH_KEY") or "demo-prdesk-key"
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. key,
}
local body_text = "World Standards Day is celebrated every year on 14 October. "
  .. "Join us for talks on how standards make products safer and trade fairer."

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  non_201 = 0
  statuses = {}
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"kind":"draft","title":"Bench %d-%d","body":"%s","platforms":["x"],"topic":"standards"}',
    thread_id, sent, body_text)
  return wrk.format("POST", "/api/v1/items", headers, body)
end

function response(status, headers, body)
  if status ~= 201 then
    non_201 = non_201 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad, by_status = 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_201")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local detail = {}
  for status, count in pairs(by_status) do
    table.insert(detail, string.format("%d x%d", status, count))
  end
  table.sort(detail)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("bench: requests %d in %.1f s, %.1f requests/s\n",
    summary.requests, seconds, summary.requests / seconds))
  io.write(string.format("bench: latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("bench: non-201 responses %d%s\n", bad,
    #detail > 0 and (" (" .. table.concat(detail, ", ") .. ")") or ""))
  io.write(string.format("bench: socket errors connect %d, read %d, write %d, timeout %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
end
