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

-- The report shared with the other webhook load, loaded from beside this file.
local report = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "webhook_report.lua")
response = report.response
function done(summary, latency, requests) report.done(threads, summary, latency) end
