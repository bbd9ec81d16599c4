-- wrk script: POST /webhook/telegram with a fresh Telegram Update per request (SPEC §5,
-- platforms.md §1.3.1): a private text message "pending" from ddg-std (Telegram id 100000004
-- in config/demo.json), so each request takes the full path: secret check, parse, de-duplication
-- insert, the pending-list read, the reply queued in the outbox, the commit, then 200.
--
-- update_id = SIGNOFF_BENCH_ID_BASE + thread number * 10^9 + the thread's counter, so ids never
-- repeat across threads or within the run (a repeated id is answered 200 with no effect and
-- would flatter the figure). Every response other than 200 counts as an error; done() prints
-- the figures bench.sh reports.
-- The secret comes from SIGNOFF_BENCH_SECRET (scripts/bench.sh sets it).

local secret = os.getenv("SIGNOFF_BENCH_SECRET") or "bench_secret"
local id_base = tonumber(os.getenv("SIGNOFF_BENCH_ID_BASE") or "0")
local person = 100000004  -- ddg-std
local headers = {
  ["Content-Type"] = "application/json",
  ["X-Telegram-Bot-Api-Secret-Token"] = secret,
}
local body_format = '{"update_id":%d,"message":{"message_id":%d,'
  .. '"from":{"id":' .. person .. ',"is_bot":false,"first_name":"DDG","language_code":"en"},'
  .. '"chat":{"id":' .. person .. ',"first_name":"DDG","type":"private"},'
  .. '"date":%d,"text":"pending"}}'

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  non_200 = 0
  statuses = {}
  first_id = id_base + thread_id * 1000000000
  date = os.time()
end

function request()
  sent = sent + 1
  local id = first_id + sent
  return wrk.format("POST", "/webhook/telegram", headers, string.format(body_format, id, id, date))
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
  -- wrk calls request() once more than it sends, on the first thread, to inspect the request;
  -- those still unanswered when the time is up were sent and may have been committed.
  io.write(string.format("bench: 200 responses %d; updates sent %d, unanswered at the end %d\n",
    summary.requests - bad, made - 1, made - 1 - summary.requests))
  io.write(string.format("bench: socket errors connect %d, read %d, write %d, timeout %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
end
