-- wrk script of the `history` scenario: POST /webhook/telegram with the updates that
-- history_updates.py wrote (SIGNOFF_BENCH_UPDATES, one Update per line without its update_id),
-- thread k of SIGNOFF_BENCH_THREADS taking every line k, k + threads, … in turn (so no two threads
-- approve the same item), each with a fresh update_id. Every response other than 200 counts as
-- an error; done() prints the figures bench.sh reports, as telegram_updates.lua does.

local secret = os.getenv("SIGNOFF_BENCH_SECRET") or "bench_secret"
local file = os.getenv("SIGNOFF_BENCH_UPDATES")
local thread_count = tonumber(os.getenv("SIGNOFF_BENCH_THREADS") or "1")
local headers = {
  ["Content-Type"] = "application/json",
  ["X-Telegram-Bot-Api-Secret-Token"] = secret,
}

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  non_200 = 0
  statuses = {}
  first_id = 60000000000 + thread_id * 1000000000
  lines = {}
  local n = 0
  for line in io.lines(file) do
    if n % thread_count == thread_id - 1 then lines[#lines + 1] = line end
    n = n + 1
  end
  if #lines == 0 then error("no updates for thread " .. thread_id .. " in " .. tostring(file)) end
end

function request()
  sent = sent + 1
  local line = lines[(sent - 1) % #lines + 1]
  return wrk.format("POST", "/webhook/telegram", headers, '{"update_id":' .. (first_id + sent) .. line)
end

function response(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad, by_status, made = 0, {}, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_200")
    made = made + thread:get("sent")
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
  io.write(string.format("bench: updates/s %.1f (200 answers per second)\n", (summary.requests - bad) / seconds))
  io.write(string.format("bench: latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("bench: non-200 responses %d%s\n", bad,
    #detail > 0 and (" (" .. table.concat(detail, ", ") .. ")") or ""))
  io.write(string.format("bench: 200 responses %d; updates sent %d, unanswered at the end %d\n",
    summary.requests - bad, made - 1, made - 1 - summary.requests))
  io.write(string.format("bench: socket errors connect %d, read %d, write %d, timeout %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
end
