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

-- The report shared with the other webhook load, loaded from beside this file.
local report = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "webhook_report.lua")
response = report.response
function done(summary, latency, requests) report.done(threads, summary, latency) end
