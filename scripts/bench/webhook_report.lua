-- The report both Telegram webhook loads print (telegram_updates.lua, history_updates.lua):
-- response() counts the answers that are not 200 in each thread's non_200 and statuses, and
-- done(threads, summary, latency) prints throughput, latency and those counts.
local report = {}

function report.response(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function report.done(threads, summary, latency)
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

return report
