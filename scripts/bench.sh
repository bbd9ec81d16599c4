#!/usr/bin/env bash
# Benchmarks a Release build of signoff against the targets of SPEC §9 and prints the figures
# for the README. Talks only to a server it starts itself on 127.0.0.1 (with a clean
# environment, so no real channel credentials and no outbound traffic), and stops on its own.
#
#   scripts/bench.sh [items|telegram|pending|history|all]     default: all
#   DURATION=10 (seconds of load per run), CONNECTIONS=32 (items),
#   TELEGRAM_CONNECTIONS=64 (telegram, wrk), RATE=2000 RATE_CONNECTIONS=32 (telegram, fixed rate),
#   PENDING_ITEMS=1000000 PENDING_RATE=200 (pending), PENDING_RATE also for history's pending run
#
# telegram: the Telegram channel is active with a fake token and secret, and its API base is a
# closed port on loopback (http://127.0.0.1:9), so the replies the bot queues fail to connect
# and wait in the outbox for a retry; the scenario checks in the server's log that no delivery
# went anywhere else. Two runs, each on a fresh server: wrk at full speed (updates/s), then
# scripts/bench/fixed_rate.py at RATE updates/s (latency without coordinated omission; Debian
# has no wrk2). After each, the database is read (sqlite3, read-only) to check that every
# update answered 200 was committed.
#
# pending: SPEC §9's "`pending` for a person answered in <= 5 ms with 1,000,000 items in the
# store". The server creates a fresh store (its migrations make the schema) and is stopped;
# the sqlite3 CLI then fills `items` with PENDING_ITEMS rows in one transaction
# (scripts/bench/pending_store.sql: 2% open, ddg-std the busiest assignee) and runs ANALYZE.
# The query of store::open_items_for (read from store/items.cpp) is timed alone with
# `sqlite3 -readonly` and its plan shown; then the server is restarted on that store with the
# Telegram channel set up as for telegram, and scripts/bench/fixed_rate.py sends `pending` from
# ddg-std at PENDING_RATE per second: latency of the full webhook round trip (the answer,
# listing the 50 open items due first, is committed to the outbox before the 200).
#
# history: SPEC §9's store of years of use — 100,000 items, 1,000,000 audit events and 1,000,000
# delivered outbox rows over the 50 people of scripts/bench/history_config.json — written by
# build/signoff_bench_store through the server's own code (scripts/bench/bench_store.cpp), once,
# and kept in build/bench/history-KEY.db (KEY: a hash of the schema, the generator, its config
# and the counts; a change builds it again); `signoff audit verify` must pass on it. Each run
# gets a fresh copy. The load is scripts/bench/history_updates.py's mix (approve N typed by N's
# assignee and its card's button, pending, show, strangers): wrk at full speed, fixed_rate.py at
# RATE/s, and `pending` alone at PENDING_RATE/s from the person with the most items waiting;
# then the same two mixed runs on an empty store with the same directory.
#
# A scenario is a function bench_NAME listed in `scenarios`; it starts a fresh server with
# start_server (extra VAR=value arguments become the server's environment), loads it with
# run_wrk and a Lua script in scripts/bench/ (or fixed_rate.py), and stops it with stop_server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

scenarios=(items telegram pending history)
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
tg_connections=${TELEGRAM_CONNECTIONS:-64}
rate=${RATE:-2000}
rate_connections=${RATE_CONNECTIONS:-32}
pending_items=${PENDING_ITEMS:-1000000}
pending_rate=${PENDING_RATE:-200}
pending_connections=8  # plenty at a few hundred requests per second of about a millisecond each
wrk_threads=2
api_key=demo-prdesk-key  # the embedded demo config's prdesk key (scopes submit, read, admin)
tg_secret=bench_secret
# A closed port on loopback: deliveries fail at once with "connection refused".
tg_api_base=http://127.0.0.1:9
tg_env=(TELEGRAM_BOT_TOKEN=123456:BENCH "TELEGRAM_SECRET_TOKEN=$tg_secret" "TELEGRAM_API_BASE=$tg_api_base")

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*"; }

usage() {
  local IFS='|'
  echo "usage: scripts/bench.sh [${scenarios[*]}|all]   (env: DURATION=$duration CONNECTIONS=$connections" \
    "TELEGRAM_CONNECTIONS=$tg_connections RATE=$rate RATE_CONNECTIONS=$rate_connections" \
    "PENDING_ITEMS=$pending_items PENDING_RATE=$pending_rate)"
}

choice=${1:-all}
case $choice in
  -h|--help) usage; exit 0 ;;
  all) selected=("${scenarios[@]}") ;;
  *) selected=("$choice") ;;
esac
[[ $duration =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a whole number of seconds, not '$duration'"
for var in connections tg_connections rate rate_connections pending_items pending_rate; do
  [[ ${!var} =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS, TELEGRAM_CONNECTIONS, RATE, RATE_CONNECTIONS, PENDING_ITEMS and" \
    "PENDING_RATE must be positive whole numbers, not '${!var}'"
done

work=$(mktemp -d /tmp/signoff-bench-XXXXXX)
server_pid=
server_dir=
server_config=  # empty: the embedded demo configuration
port=
failed=0

cleanup() {
  if [[ -n $server_pid ]]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The largest of the named /proc/PID/status fields, in MiB. (VmHWM alone can lag VmRSS.)
memory_mib() {
  local kb=0 field value
  for field in "$@"; do
    value=$(sed -n "s/^$field:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$server_pid/status" 2>/dev/null)
    [[ -n $value ]] || { echo "?"; return; }
    ((value > kb)) && kb=$value
  done
  awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }'
}

# start_server NAME [VAR=value...]: a fresh server in $work/NAME, on the database there (new,
# unless an earlier start_server NAME left one); sets server_pid, server_dir, port, and
# startup_ms (spawn to the first answered /healthz).
start_server() {
  server_dir=$work/$1
  shift
  mkdir -p "$server_dir"
  : >"$server_dir/stdout"
  local started line status
  started=$(now_ms)
  (cd "$server_dir" &&
    exec env -i PATH="$PATH" HOME="$server_dir" LANG=C.UTF-8 "$@" \
      "$root/build/signoff" serve ${server_config:+--config "$root/$server_config"} \
        --db "$server_dir/bench.db" --listen 127.0.0.1:0 \
      >"$server_dir/stdout" 2>"$server_dir/stderr") &
  server_pid=$!
  while ! { IFS= read -r line <"$server_dir/stdout" && [[ $line == "listening on "* ]]; }; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" && status=0 || status=$?
      server_pid=
      tail -n 20 "$server_dir/stderr" >&2
      die "the server exited with status $status before listening"
    fi
    (($(now_ms) - started < 10000)) || die "no 'listening on' line within 10 s"
    sleep 0.002
  done
  port=${line##*:}
  [[ $port =~ ^[0-9]+$ ]] || die "cannot read the port from '$line'"
  status="no answer"
  if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    IFS= read -r -t 5 status <&3 || true
    exec 3<&-
  fi
  startup_ms=$(($(now_ms) - started))
  say "server pid $server_pid on 127.0.0.1:$port; /healthz: ${status%$'\r'}"
}

# stop_server: SIGTERM, then up to 10 s for a clean exit (SPEC §3 wants status 0).
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i status
  for ((i = 0; i < 1000; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.01; done
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    say "the server did not stop within 10 s of SIGTERM; killed"
    failed=1
  fi
  wait "$server_pid" && status=0 || status=$?
  server_pid=
  if ((status != 0)); then
    say "the server exited with status $status after SIGTERM; its last log lines:"
    tail -n 5 "$server_dir/stderr"
    failed=1
  fi
}

# run_wrk LUA_SCRIPT PATH [CONNECTIONS]: the load, then wrk's report including the script's
# done() lines (kept in $server_dir/wrk.txt).
run_wrk() {
  SIGNOFF_BENCH_KEY=$api_key SIGNOFF_BENCH_SECRET=$tg_secret timeout $((duration + 30)) \
    wrk -t"$wrk_threads" -c"${3:-$connections}" -d"${duration}s" --timeout 10s --latency \
      -s "$1" "http://127.0.0.1:$port$2" | tee "$server_dir/wrk.txt"
  local bad
  bad=$(sed -n 's/^bench: non-[0-9]* responses \([0-9]*\).*/\1/p' "$server_dir/wrk.txt")
  [[ $bad == 0 ]] || failed=1
  grep -q '^bench: socket errors connect 0, read 0, write 0, timeout 0$' "$server_dir/wrk.txt" || failed=1
}

# field FILE SED_REGEX: the first capture of the first matching line of FILE, or "?".
field() {
  local value
  value=$(sed -n "s/$2/\1/p" "$1" | head -n 1)
  echo "${value:-?}"
}

# metric NAME: a gauge from the server's /metrics, or "?".
metric() {
  local value=
  if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
    printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    value=$(timeout 5 cat <&3 | tr -d '\r' | sed -n "s/^$1 \([0-9.e+]*\)$/\1/p")
    exec 3<&-
  fi
  echo "${value:-?}"
}

# write_batches: the group-commit figures since start, as "JOBS jobs in BATCHES commits (J per commit)".
write_batches() {
  local jobs batches
  jobs=$(metric signoff_store_jobs)
  batches=$(metric signoff_store_batches)
  awk -v j="$jobs" -v b="$batches" 'BEGIN {
    if (b + 0 > 0) printf "%d jobs in %d commits (%.1f per commit)", j, b, j / b; else print "unknown" }'
}

# check_committed LABEL OK SENT: after the server stopped, the rows of inbound_keys (one per
# committed update) must number at least the 200 answers (each acknowledged update committed)
# and at most the updates sent (no other rows; the difference is updates in flight when the
# load generator stopped, which the server may still have committed). Each update also queued
# exactly one reply, so the outbox must hold as many Telegram messages.
check_committed() {
  local rows replies
  rows=$(sqlite3 -readonly "$server_dir/bench.db" \
    "SELECT count(*) FROM inbound_keys WHERE channel = 'telegram'") || rows="?"
  replies=$(sqlite3 -readonly "$server_dir/bench.db" \
    "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND purpose IN ('chat_reply', 'pending_list')") ||
    replies="?"
  if [[ $rows =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $3 =~ ^[0-9]+$ ]] && ((rows >= $2 && rows <= $3)) &&
     [[ $replies == "$rows" ]]; then
    say "$1: inbound_keys has $rows rows (and the outbox $replies replies) for $2 answers 200 and $3" \
      "updates sent: every acknowledged update was committed"
  else
    say "$1: inbound_keys has $rows rows (and the outbox $replies replies) for $2 answers 200 and $3" \
      "updates sent: MISMATCH"
    failed=1
  fi
}

# check_loopback_only: every outbound delivery the server logged failed to connect to
# 127.0.0.1, and nothing in its log names another host.
check_loopback_only() {
  local log=$server_dir/stderr attempts refused
  attempts=$(grep -c '"event":"outbox\.' "$log" || true)
  refused=$(grep '"event":"outbox\.' "$log" | grep -c '"error":"connect 127\.0\.0\.1: Connection refused"' || true)
  if ((attempts == refused)) && ! grep -q 'telegram\.org' "$log"; then
    say "outbound: $attempts delivery attempts in the log, all 'connect 127.0.0.1: Connection refused'; no other host"
  else
    say "outbound: $attempts delivery log lines, $refused of them refused on 127.0.0.1: SOMETHING ELSE WAS TRIED; see $log"
    grep '"event":"outbox\.' "$log" | grep -v '"error":"connect 127\.0\.0\.1: Connection refused"' | head -n 5
    failed=1
  fi
}

bench_items() {
  say "scenario items: POST /api/v1/items, ${duration} s, $wrk_threads threads, $connections connections"
  start_server items
  local idle
  idle=$(memory_mib VmRSS)
  run_wrk scripts/bench/create_item.lua /api/v1/items
  say "server memory: idle $idle MiB, peak $(memory_mib VmHWM VmRSS) MiB (VmHWM)"
  say "start-up to the first answered request: ${startup_ms} ms (polling, approximate)"
  stop_server
}

# verdict MEASURED OP GOAL: "met" or "MISSED" (or "not measured"), comparing as numbers.
verdict() {
  [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "not measured"; return; }
  awk -v m="$1" -v op="$2" -v g="$3" 'BEGIN {
    ok = (op == ">=") ? (m + 0 >= g + 0) : (m + 0 <= g + 0); print ok ? "met" : "MISSED" }'
}

# need_closed_api_port: the Telegram API base must be a closed port, so replies go nowhere.
need_closed_api_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/${tg_api_base##*:}") 2>/dev/null; then
    die "something listens on $tg_api_base; the scenario needs that port closed"
  fi
}

bench_telegram() {
  say "scenario telegram: POST /webhook/telegram, a fresh update 'pending' from ddg-std per request;" \
    "Telegram API base $tg_api_base (closed port on loopback)"
  need_closed_api_port
  local idle_max idle_rate peak_max peak_rate ups ok sent p50 p99 rate_ok rate_sent achieved keptup wrk_p99

  say "telegram run 1, full speed: wrk, ${duration} s, $wrk_threads threads, $tg_connections connections"
  start_server telegram-max "${tg_env[@]}"
  idle_max=$(memory_mib VmRSS)
  run_wrk scripts/bench/telegram_updates.lua /webhook/telegram "$tg_connections"
  peak_max=$(memory_mib VmHWM VmRSS)
  say "group commit: $(write_batches)"
  say "server memory: idle $idle_max MiB, peak $peak_max MiB (VmHWM) at full speed"
  stop_server
  ups=$(field "$server_dir/wrk.txt" '^bench: updates\/s \([0-9.]*\).*')
  wrk_p99=$(field "$server_dir/wrk.txt" '^bench: latency .* p99 \([0-9.]*\) ms,.*')
  ok=$(field "$server_dir/wrk.txt" '^bench: 200 responses \([0-9]*\);.*')
  sent=$(field "$server_dir/wrk.txt" '^bench: 200 responses .* updates sent \([0-9]*\),.*')
  check_committed "telegram run 1" "$ok" "$sent"
  check_loopback_only

  say "telegram run 2, fixed rate: scripts/bench/fixed_rate.py, $rate updates/s for ${duration} s," \
    "$rate_connections connections"
  start_server telegram-rate "${tg_env[@]}"
  idle_rate=$(memory_mib VmRSS)
  if ! timeout $((duration + 60)) python3 scripts/bench/fixed_rate.py --port "$port" --rate "$rate" \
      --duration "$duration" --connections "$rate_connections" --secret "$tg_secret" \
      | tee "$server_dir/rate.txt"; then
    say "the fixed-rate generator failed"
    failed=1
  fi
  peak_rate=$(memory_mib VmHWM VmRSS)
  say "group commit: $(write_batches)"
  say "server memory: idle $idle_rate MiB, peak $peak_rate MiB (VmHWM) at $rate updates/s"
  stop_server
  grep -q '^bench: non-200 responses 0$' "$server_dir/rate.txt" || failed=1
  grep -q '^bench: socket errors connect 0, lost 0, timeout 0,' "$server_dir/rate.txt" || failed=1
  p50=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: p50 \([0-9.]*\) ms.*')
  p99=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: .* p99 \([0-9.]*\) ms,.*')
  achieved=$(field "$server_dir/rate.txt" '^bench: achieved rate \([0-9.]*\) .*')
  rate_ok=$(field "$server_dir/rate.txt" '^bench: 200 responses \([0-9]*\);.*')
  rate_sent=$(field "$server_dir/rate.txt" '^bench: 200 responses .* updates sent \([0-9]*\),.*')
  check_committed "telegram run 2" "$rate_ok" "$rate_sent"
  [[ $rate_ok == "$rate_sent" ]] || { say "telegram run 2: not every update sent was answered 200"; failed=1; }
  check_loopback_only
  keptup=""
  grep -q '^bench: generator: kept up' "$server_dir/rate.txt" || keptup=" (the generator did not keep up)"

  local idle
  idle=$(awk -v a="$idle_max" -v b="$idle_rate" 'BEGIN { print (a + 0 > b + 0) ? a : b }')
  say "telegram against SPEC §9:"
  printf 'bench:   %-44s %-12s %-24s %s\n' \
    "updates/s, each committed before its 200" ">= 10000" "$ups/s" "$(verdict "$ups" ">=" 10000)" \
    "p99 latency at $rate updates/s (p50 $p50 ms)" "<= 10 ms" "$p99 ms$keptup" "$(verdict "$p99" "<=" 10)" \
    "resident memory at $rate updates/s (VmHWM)" "<= 64 MiB" "$peak_rate MiB" "$(verdict "$peak_rate" "<=" 64)" \
    "resident memory idle (VmRSS after start)" "<= 16 MiB" "$idle MiB" "$(verdict "$idle" "<=" 16)"
  say "  also: achieved $achieved updates/s in run 2; at full speed wrk's p99 was $wrk_p99 ms" \
    "and peak memory $peak_max MiB"
}

# cpu_ticks: "BUSY TOTAL" clock ticks of all cores so far (/proc/stat).
cpu_ticks() {
  local _ user nice system idle iowait irq softirq steal
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}

# server_ticks: the server's CPU time so far in clock ticks (utime + stime), or 0.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat" 2>/dev/null || echo 0; }

# cpu_share "BUSY0 TOTAL0" "BUSY1 TOTAL1" SERVER0 SERVER1: how busy the cores were between the
# two samples, and how much of it was the server; the rest is the load generator and whatever
# else runs on the machine (which then competes with the server for the cores).
cpu_share() {
  local line
  line=$(awk -v a="$1" -v b="$2" -v s0="$3" -v s1="$4" -v n="$(nproc)" 'BEGIN {
    split(a, x, " "); split(b, y, " "); total = y[2] - x[2]; if (total <= 0) exit
    busy = 100 * (y[1] - x[1]) / total; server = 100 * (s1 - s0) / total; other = busy - server
    printf "%.0f%% of the %d cores busy: the server %.0f%%, everything else (the load generator too) %.0f%%", busy, n, server, other
    if (other > 25) printf " (other work on the machine competed for the cores; the latency is pessimistic)" }')
  say "CPU during the run: ${line:-unknown}"
}

# query_loop_ms DB SQL PERSON LIMIT: the SQL with ?1 = PERSON and ?2 = LIMIT run 1,000 times in
# one sqlite3 session (read-only, rows to /dev/null), less the same session running SELECT 1:
# milliseconds per query on average, finer than .timer's whole milliseconds.
query_loop_ms() {
  local i t0 t1 t2
  t0=$(date +%s%N)
  { printf '.parameter set ?1 %s\n.parameter set ?2 %s\n' "'$3'" "$4"
    for ((i = 0; i < 1000; i++)); do printf '%s;\n' "$2"; done; } | sqlite3 -readonly "$1" >/dev/null
  t1=$(date +%s%N)
  for ((i = 0; i < 1000; i++)); do echo 'SELECT 1;'; done | sqlite3 -readonly "$1" >/dev/null
  t2=$(date +%s%N)
  awk -v q=$((t1 - t0)) -v b=$((t2 - t1)) 'BEGIN { printf "%.3f", (q - b) / 1e9 }'  # ns / 1000 runs -> ms
}

# grouped 1234567: 1,234,567
grouped() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

bench_pending() {
  local person=ddg-std person_tg=100000004  # config/demo.json
  local sql limit db built_at started gen_ms sync_ms bytes busiest plan runs loop_ms i cpu0 cpu1 srv0 srv1
  local p50 p99 pmax s50 s99 achieved ok sent keptup reply writer_ms
  # The query `pending` runs (store::open_items_for) and its limit (pending_list_limit), read
  # from the sources so the scenario measures what the server does.
  sql=$(sed -n '/select_open_for_sql =/,/;$/p' store/items.cpp | sed -n 's/^[^"]*"\(.*\)"[^"]*$/\1/p' | tr -d '\n')
  limit=$(sed -n 's/^constexpr int pending_list_limit = \([0-9]*\);.*/\1/p' bot/outbox/render.cpp)
  [[ $sql == SELECT*"FROM items WHERE assignee = ?"*"LIMIT ?" && $limit =~ ^[0-9]+$ ]] ||
    die "cannot read select_open_for_sql from store/items.cpp or pending_list_limit from bot/outbox/render.cpp"
  say "scenario pending: \`pending\` from $person with $(grouped "$pending_items") items in the store," \
    "$pending_rate requests/s for ${duration} s; Telegram API base $tg_api_base (closed port on loopback)"
  need_closed_api_port

  say "pending: the server creates the store (migrations), then stops"
  start_server pending
  stop_server
  db=$server_dir/bench.db
  say "pending: filling items with sqlite3 (scripts/bench/pending_store.sql, one transaction, then ANALYZE)"
  built_at=$(now_ms) started=$built_at
  sqlite3 -bail "$db" -cmd ".parameter set @count $pending_items" -cmd ".parameter set @now_ms $built_at" \
    '.read scripts/bench/pending_store.sql' >/dev/null || die "building the store failed"
  gen_ms=$(($(now_ms) - started))
  # Loaded with synchronous off, the file's pages are still dirty in the kernel: written back
  # during the run, or forced by the server's first checkpoint, they can stall it (one trial
  # without this flush stalled for half a second) for a reason no real store has. Flush first.
  started=$(now_ms)
  sync "$db"
  sync_ms=$(($(now_ms) - started))
  bytes=$(stat -c %s "$db")
  [[ -f $db-wal ]] && bytes=$((bytes + $(stat -c %s "$db-wal")))
  say "pending: store built in $(awk -v ms="$gen_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s" \
    "(insert and ANALYZE), flushed to disk in $(awk -v ms="$sync_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s;" \
    "database $(awk -v b="$bytes" 'BEGIN { printf "%.0f MiB (%.2f GB)", b / 1048576, b / 1e9 }')"
  busiest=$(sqlite3 -readonly "$db" "SELECT assignee FROM items WHERE status IN ('pending', 'open', 'acknowledged')
                                       AND assignee IS NOT NULL GROUP BY assignee ORDER BY count(*) DESC LIMIT 1")
  sqlite3 -readonly "$db" \
    "SELECT 'bench: pending: ' || count(*) || ' items, ' || sum(status IN ('pending', 'open', 'acknowledged'))
            || ' open; waiting for $person: ' || sum(assignee = '$person' AND status IN ('pending', 'open', 'acknowledged'))
            || ' (' || sum(assignee = '$person' AND status IN ('pending', 'open', 'acknowledged') AND due_ms < $built_at)
            || ' overdue); for $busiest, who has the most: '
            || sum(assignee = '$busiest' AND status IN ('pending', 'open', 'acknowledged'))
            || ' (' || sum(assignee = '$busiest' AND status IN ('pending', 'open', 'acknowledged') AND due_ms < $built_at)
            || ' overdue)' FROM items;" \
    "SELECT 'bench: pending: by status: ' || group_concat(status || ' ' || n, ', ')
       FROM (SELECT status, count(*) AS n FROM items GROUP BY status ORDER BY n DESC);"
  [[ $(sqlite3 -readonly "$db" 'SELECT count(*) FROM items') == "$pending_items" ]] ||
    die "the store does not hold $pending_items items"

  say "pending: the query alone (store::open_items_for, sqlite3 -readonly, ?1 = '$person', ?2 = $limit):"
  say "  $sql"
  plan=$(sqlite3 -readonly "$db" -cmd ".parameter set ?1 '$person'" -cmd ".parameter set ?2 $limit" \
    "EXPLAIN QUERY PLAN $sql")
  sed 's/^/bench:   plan: /' <<<"$plan"
  if ! grep -q 'USING INDEX items_by_assignee_due' <<<"$plan" || grep -q 'TEMP B-TREE' <<<"$plan"; then
    say "  the plan does NOT read items_by_assignee_due in order; the query scans or sorts"
  fi
  # .timer reports wall time in whole milliseconds (and CPU time finer); five runs show it.
  runs=$({ printf '.parameter set ?1 %s\n.parameter set ?2 %s\n.timer on\n' "'$person'" "$limit"
           for ((i = 0; i < 5; i++)); do printf '%s;\n' "$sql"; done; } |
         sqlite3 -readonly "$db" | sed -n 's/^Run Time: real \([0-9.]*\) user \([0-9.]*\) sys \([0-9.]*\)$/\1 \2 \3/p' |
         awk '{ printf "%s%.3f s (CPU %.2f ms)", (NR > 1 ? ", " : ""), $1, ($2 + $3) * 1000 }')
  say "  .timer, 5 runs: ${runs:-none reported}"
  loop_ms=$(query_loop_ms "$db" "$sql" "$person" "$limit")
  say "  1,000 runs in one session: $loop_ms ms per query on average (each prepared afresh, $limit rows" \
    "printed to /dev/null; the server keeps the statement prepared); for $busiest:" \
    "$(query_loop_ms "$db" "$sql" "$busiest" "$limit") ms"

  say "pending: the server on that store; fixed_rate.py, \`pending\` from $person (Telegram $person_tg)," \
    "$pending_rate/s for ${duration} s, $pending_connections connections"
  start_server pending "${tg_env[@]}"
  say "start-up on the $(grouped "$pending_items")-item store to the first answered request: ${startup_ms} ms"
  cpu0=$(cpu_ticks) srv0=$(server_ticks)
  if ! timeout $((duration + 60)) python3 scripts/bench/fixed_rate.py --port "$port" --rate "$pending_rate" \
      --duration "$duration" --connections "$pending_connections" --secret "$tg_secret" \
      --person "$person_tg" --text pending | tee "$server_dir/rate.txt"; then
    say "the fixed-rate generator failed"
    failed=1
  fi
  cpu1=$(cpu_ticks) srv1=$(server_ticks)
  say "server memory: peak $(memory_mib VmHWM VmRSS) MiB (VmHWM); group commit: $(write_batches)"
  cpu_share "$cpu0" "$cpu1" "$srv0" "$srv1"
  stop_server
  grep -q '^bench: non-200 responses 0$' "$server_dir/rate.txt" || failed=1
  grep -q '^bench: socket errors connect 0, lost 0, timeout 0,' "$server_dir/rate.txt" || failed=1
  # The server's own time per update (its log's webhook.accepted "ms"): from handing the job to
  # the store's writer to its commit, so the query, rendering, the outbox insert and fdatasync.
  writer_ms=$(grep '"event":"webhook.accepted"' "$server_dir/stderr" | grep '"outcome":"pending"' |
    sed -n 's/.*"ms":\([0-9.]*\).*/\1/p' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "?"; exit }
      r50 = int((NR * 50 + 99) / 100); r99 = int((NR * 99 + 99) / 100)
      printf "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d updates)", v[r50], v[r99], v[NR], NR }')
  say "pending: in the writer (the job queued, the outbox insert, the commit): $writer_ms"
  p50=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: p50 \([0-9.]*\) ms.*')
  p99=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: .* p99 \([0-9.]*\) ms,.*')
  pmax=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: .* max \([0-9.]*\) ms$')
  s50=$(field "$server_dir/rate.txt" '^bench: service time (write to answer): p50 \([0-9.]*\) ms.*')
  s99=$(field "$server_dir/rate.txt" '^bench: service time (write to answer): .* p99 \([0-9.]*\) ms,.*')
  achieved=$(field "$server_dir/rate.txt" '^bench: achieved rate \([0-9.]*\) .*')
  ok=$(field "$server_dir/rate.txt" '^bench: 200 responses \([0-9]*\);.*')
  sent=$(field "$server_dir/rate.txt" '^bench: 200 responses .* updates sent \([0-9]*\),.*')
  check_committed "pending" "$ok" "$sent"
  [[ $ok == "$sent" ]] || { say "pending: not every update sent was answered 200"; failed=1; }
  check_loopback_only
  # What was answered: the reply is rendered from the open items when it is delivered, so check
  # that there are items to list and show the first lines of what the server would send.
  reply=$(sqlite3 -readonly "$db" "SELECT '#' || id || ' ' || json_extract(doc, '\$.title') FROM items
                                   WHERE assignee = '$person' AND status IN ('pending', 'open', 'acknowledged')
                                   ORDER BY due_ms, id LIMIT $limit")
  say "pending: each answer lists $(wc -l <<<"$reply") items (rendered when delivered); the first:"
  head -n 3 <<<"$reply" | sed 's/^/bench:   | /'
  if (($(wc -l <<<"$reply") < 3)); then
    say "pending: the answer lists no items; the store or the query is not what this scenario means to measure"
    failed=1
  fi
  keptup=""
  grep -q '^bench: generator: kept up' "$server_dir/rate.txt" || keptup=" (the generator did not keep up)"

  local judged every
  judged=$(verdict "$p99" "<=" 5)
  every=$( [[ $(verdict "$pmax" "<=" 5) == met ]] && echo "every answer within 5 ms" ||
           echo "not every answer: the slowest took $pmax ms")
  say "pending against SPEC §9: ≤ 5 ms with $(grouped "$pending_items") items in the store; measured p99 $p99 ms" \
    "(p50 $p50 ms, max $pmax ms$keptup) for the full webhook round trip from the scheduled send at $achieved/s;" \
    "the query alone $loop_ms ms — $judged on p99 ($every)"
  # Where the time goes, from the inside out; when missed, this is what dominates.
  say "  $([[ $judged == MISSED ]] && echo "what dominates" || echo "where the time goes"): the query alone" \
    "$loop_ms ms; in the writer (queued, the outbox insert, the commit; the list is rendered when delivered)" \
    "$writer_ms; write to answer p50 $s50 ms, p99 $s99 ms; the rest is the generator's own dispatch lag" \
    "(counted, see above) and the machine's other load (see the CPU line)"
  ((pending_items == 1000000)) || say "  (PENDING_ITEMS is $pending_items; SPEC §9 asks for 1,000,000)"
}

history_items=${HISTORY_ITEMS:-100000}
history_events=${HISTORY_EVENTS:-1000000}
history_outbox=${HISTORY_OUTBOX:-1000000}
history_open=${HISTORY_OPEN:-25000}
history_config=scripts/bench/history_config.json
# Decision callbacks go to the agency as well: to the same closed port.
history_env=("${tg_env[@]}" "SIGNOFF_CALLBACK_URL=$tg_api_base/hooks/signoff" SIGNOFF_CALLBACK_SECRET=bench_callback)
history_cache=
quiet_wait=7  # seconds without requests before the idle figure: the writer's quiet spell is 5

# history_store: the year-old store, built once into build/bench/ (reused while its key holds),
# checked with `signoff audit verify`; sets history_cache.
history_store() {
  local key started built bytes verify verify_ms
  key=$({ cat store/schema.cpp scripts/bench/bench_store.cpp "$history_config"
          echo "$history_items $history_events $history_outbox $history_open"; } | sha256sum | cut -c1-12)
  history_cache=$root/build/bench/history-$key.db
  if [[ -f $history_cache && -f $history_cache.txt ]]; then
    say "history: reusing $history_cache: $(cat "$history_cache.txt")"
  else
    mkdir -p "$root/build/bench"
    rm -f "$root"/build/bench/history-*.db "$root"/build/bench/history-*.db.*
    say "history: writing the store with build/signoff_bench_store ($(grouped "$history_items") items," \
      "$(grouped "$history_events") events, $(grouped "$history_outbox") delivered outbox rows, the newest" \
      "$(grouped "$history_open") items still open); this takes a few minutes"
    started=$(now_ms)
    env -i PATH="$PATH" HOME="$work" LANG=C.UTF-8 "${history_env[@]}" "$root/build/signoff_bench_store" \
      --config "$history_config" --db "$history_cache.tmp" --items "$history_items" --events "$history_events" \
      --outbox "$history_outbox" --open "$history_open" >"$work/bench_store.out" 2>"$work/bench_store.log" ||
      { tail -n 20 "$work/bench_store.log" >&2; die "signoff_bench_store failed"; }
    sync "$history_cache.tmp"
    built=$(($(now_ms) - started))
    mv "$history_cache.tmp" "$history_cache"
    echo "$(sed 's/^bench_store: //' "$work/bench_store.out") (generated in $(awk -v ms="$built" \
      'BEGIN { printf "%.0f", ms / 1000 }') s on $(date -u +%Y-%m-%d))" >"$history_cache.txt"
    say "history: $(cat "$history_cache.txt")"
  fi
  bytes=$(stat -c %s "$history_cache")
  say "history: database size after the year: $(awk -v b="$bytes" 'BEGIN { printf "%.0f MiB (%.2f GB)", b / 1048576, b / 1e9 }')"
  sqlite3 -readonly "$history_cache" \
    "SELECT 'bench: history: ' || (SELECT count(*) FROM items) || ' items (' ||
            (SELECT count(*) FROM items WHERE status IN ('pending', 'open', 'acknowledged')) || ' open), ' ||
            (SELECT count(*) FROM events) || ' events, ' || (SELECT count(*) FROM outbox WHERE status = 'sent') ||
            ' delivered outbox rows, ' || (SELECT count(*) FROM inbound_keys) || ' dedupe keys (30 days), ' ||
            (SELECT count(DISTINCT assignee) FROM items WHERE status = 'pending') || ' people with items waiting'"
  started=$(now_ms)
  verify=$("$root/build/signoff" audit verify --db "$history_cache" 2>&1) ||
    { echo "$verify" >&2; die "signoff audit verify failed on the history store"; }
  verify_ms=$(($(now_ms) - started))
  say "history: signoff audit verify: $(head -n 1 <<<"$verify") ($(awk -v ms="$verify_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s)"
}

# history_copy NAME: a fresh copy of the year-old store for one run, in $work/NAME.
history_copy() {
  mkdir -p "$work/$1"
  cp "$history_cache" "$work/$1/bench.db"
  chmod 600 "$work/$1/bench.db"
  # Written just now, the copy's pages are dirty in the kernel: the server's first fsync would
  # wait for their write-back (half a second here), which no real store makes it do.
  sync "$work/$1/bench.db"
}

# check_history_committed LABEL SINCE_MS OK SENT: the dedupe keys recorded since SINCE_MS (one per
# committed update) number at least the 200 answers and at most the updates sent.
check_history_committed() {
  local rows
  rows=$(sqlite3 -readonly "$server_dir/bench.db" \
    "SELECT count(*) FROM inbound_keys WHERE channel = 'telegram' AND at_ms >= $2") || rows="?"
  if [[ $rows =~ ^[0-9]+$ && $3 =~ ^[0-9]+$ && $4 =~ ^[0-9]+$ ]] && ((rows >= $3 && rows <= $4)); then
    say "$1: $rows updates committed for $3 answers 200 and $4 sent: every acknowledged update was committed"
  else
    say "$1: $rows updates committed for $3 answers 200 and $4 sent: MISMATCH"
    failed=1
  fi
  sqlite3 -readonly "$server_dir/bench.db" \
    "SELECT 'bench: $1: what the updates did: ' || group_concat(type || ' ' || n, ', ') FROM
       (SELECT type, count(*) AS n FROM events WHERE at_ms >= $2 GROUP BY type ORDER BY n DESC)"
}

# server_usage: the server's CPU seconds per thread ("TID SECONDS" lines) and the bytes it has
# written ("wchar BYTES": the WAL, checkpoints, log and sockets).
server_usage() {
  local t
  for t in /proc/"$server_pid"/task/*; do
    awk -v tid="${t##*/}" '{ printf "%s %.2f\n", tid, ($14 + $15) / 100 }' "$t/stat" 2>/dev/null
  done
  awk '/^wchar:/ { print "wchar", $2 }' "/proc/$server_pid/io" 2>/dev/null
}

# usage_per_update BEFORE AFTER UPDATES: what each update cost the server between two
# server_usage snapshots. Steadier than the rate on a machine whose speed wanders between runs.
usage_per_update() {
  awk -v n="$3" 'FNR == NR { before[$1] = $2; next }
    { d = $2 - before[$1]; if ($1 == "wchar") written = d; else { cpu += d; if (d > busiest) busiest = d } }
    END {
      if (n + 0 <= 0) { print "unknown"; exit }
      printf "server CPU %.0f us per update (its busiest thread, the writer, %.0f us), %.0f bytes written per update",
        cpu * 1e6 / n, busiest * 1e6 / n, written / n
    }' "$1" "$2"
}

# history_full_speed LABEL: wrk with the mix on the server running now; sets h_ups h_p50 h_p99
# h_peak h_cost.
history_full_speed() {
  local since ok sent
  since=$(now_ms)
  server_usage >"$server_dir/usage.before"
  SIGNOFF_BENCH_UPDATES=$work/history-updates.txt SIGNOFF_BENCH_THREADS=$wrk_threads \
    run_wrk scripts/bench/history_updates.lua /webhook/telegram "$tg_connections"
  server_usage >"$server_dir/usage.after"
  h_ups=$(field "$server_dir/wrk.txt" '^bench: updates\/s \([0-9.]*\).*')
  h_p50=$(field "$server_dir/wrk.txt" '^bench: latency p50 \([0-9.]*\) ms,.*')
  h_p99=$(field "$server_dir/wrk.txt" '^bench: latency .* p99 \([0-9.]*\) ms,.*')
  h_peak=$(memory_mib VmHWM VmRSS)
  say "group commit: $(write_batches)"
  stop_server
  ok=$(field "$server_dir/wrk.txt" '^bench: 200 responses \([0-9]*\);.*')
  sent=$(field "$server_dir/wrk.txt" '^bench: 200 responses .* updates sent \([0-9]*\),.*')
  h_cost=$(usage_per_update "$server_dir/usage.before" "$server_dir/usage.after" "$ok")
  say "$1: $h_cost"
  check_history_committed "$1" "$since" "$ok" "$sent"
  check_loopback_only
}

# history_fixed_rate LABEL RATE CONNECTIONS [fixed_rate.py options]: sets h_p50 h_p99 h_achieved h_kept.
history_fixed_rate() {
  local label=$1 at=$2 conns=$3 since ok sent
  shift 3
  since=$(now_ms)
  if ! timeout $((duration + 60)) python3 scripts/bench/fixed_rate.py --port "$port" --rate "$at" \
      --duration "$duration" --connections "$conns" --secret "$tg_secret" "$@" | tee "$server_dir/rate.txt"; then
    say "the fixed-rate generator failed"
    failed=1
  fi
  h_peak=$(memory_mib VmHWM VmRSS)
  say "group commit: $(write_batches)"
  stop_server
  grep -q '^bench: non-200 responses 0$' "$server_dir/rate.txt" || failed=1
  grep -q '^bench: socket errors connect 0, lost 0, timeout 0,' "$server_dir/rate.txt" || failed=1
  h_p50=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: p50 \([0-9.]*\) ms.*')
  h_p99=$(field "$server_dir/rate.txt" '^bench: latency from the scheduled send: .* p99 \([0-9.]*\) ms,.*')
  h_achieved=$(field "$server_dir/rate.txt" '^bench: achieved rate \([0-9.]*\) .*')
  h_kept=""
  grep -q '^bench: generator: kept up' "$server_dir/rate.txt" || h_kept=" (the generator did not keep up)"
  ok=$(field "$server_dir/rate.txt" '^bench: 200 responses \([0-9]*\);.*')
  sent=$(field "$server_dir/rate.txt" '^bench: 200 responses .* updates sent \([0-9]*\),.*')
  check_history_committed "$label" "$since" "$ok" "$sent"
  [[ $ok == "$sent" ]] || { say "$label: not every update sent was answered 200"; failed=1; }
  check_loopback_only
}

bench_history() {
  say "scenario history: a year of use ($history_config), Telegram API base and agency callback" \
    "$tg_api_base (closed port on loopback)"
  need_closed_api_port
  history_store
  python3 scripts/bench/history_updates.py --db "$history_cache" --config "$history_config" --count 400000 \
    --out "$work/history-updates.txt"
  server_config=$history_config
  local busiest busiest_tg
  busiest=$(sqlite3 -readonly "$history_cache" "SELECT assignee FROM items WHERE status = 'pending'
                                                GROUP BY assignee ORDER BY count(*) DESC LIMIT 1")
  busiest_tg=$(python3 -c "import json,sys; print(next(p['telegram'] for p in json.load(open(sys.argv[1]))['people'] \
    if p['id'] == sys.argv[2]))" "$history_config" "$busiest")
  local -A r  # results: r[store.figure]
  local s
  for s in big empty; do
    say "history, $s store, run 1: full speed, wrk, ${duration} s, $wrk_threads threads, $tg_connections connections"
    if [[ $s == big ]]; then history_copy "history-$s-max"; fi
    start_server "history-$s-max" "${history_env[@]}"
    r[$s.startup]=$startup_ms
    r[$s.start_rss]=$(memory_mib VmRSS)
    # Idle as the server is when nobody writes: start-up's housekeeping done and the writer's
    # quiet spell (5 s) over, after which it gives back the pages that housekeeping read.
    sleep "$quiet_wait"
    r[$s.idle]=$(memory_mib VmRSS)
    say "start-up to the first answered request: ${startup_ms} ms; memory ${r[$s.start_rss]} MiB then," \
      "${r[$s.idle]} MiB after ${quiet_wait} s without requests"
    say "idle releases of the page caches so far: $(metric signoff_store_idle_releases)"
    history_full_speed "history $s run 1"
    r[$s.ups]=$h_ups r[$s.wrk_p50]=$h_p50 r[$s.wrk_p99]=$h_p99 r[$s.peak_max]=$h_peak r[$s.cost]=$h_cost

    say "history, $s store, run 2: fixed rate, $rate updates/s for ${duration} s, $rate_connections connections"
    if [[ $s == big ]]; then history_copy "history-$s-rate"; fi
    start_server "history-$s-rate" "${history_env[@]}"
    history_fixed_rate "history $s run 2" "$rate" "$rate_connections" --bodies "$work/history-updates.txt"
    r[$s.p50]=$h_p50 r[$s.p99]=$h_p99 r[$s.peak]=$h_peak r[$s.achieved]=$h_achieved r[$s.kept]=$h_kept

    say "history, $s store, run 3: \`pending\` from $busiest alone, $pending_rate/s for ${duration} s"
    if [[ $s == big ]]; then history_copy "history-$s-pending"; fi
    start_server "history-$s-pending" "${history_env[@]}"
    history_fixed_rate "history $s run 3" "$pending_rate" "$pending_connections" --person "$busiest_tg" --text pending
    r[$s.pending_p50]=$h_p50 r[$s.pending_p99]=$h_p99 r[$s.pending_kept]=$h_kept
  done
  server_config=

  say "history against SPEC §9 (big store: $(grouped "$history_items") items, $(grouped "$history_events") events," \
    "$(grouped "$history_outbox") delivered outbox rows; empty store: the same directory):"
  printf 'bench:   %-46s %-10s %-26s %-8s %-26s %s\n' "" "goal" "big store" "" "empty store" "" \
    "updates/s (mix), each committed before its 200" ">= 10000" "${r[big.ups]}/s" "$(verdict "${r[big.ups]}" ">=" 10000)" \
      "${r[empty.ups]}/s" "$(verdict "${r[empty.ups]}" ">=" 10000)" \
    "p99 at $rate updates/s (mix)" "<= 10 ms" "${r[big.p99]} ms (p50 ${r[big.p50]})${r[big.kept]:+ *}" \
      "$(verdict "${r[big.p99]}" "<=" 10)" "${r[empty.p99]} ms (p50 ${r[empty.p50]})${r[empty.kept]:+ *}" \
      "$(verdict "${r[empty.p99]}" "<=" 10)" \
    "resident memory at $rate updates/s (VmHWM)" "<= 64 MiB" "${r[big.peak]} MiB" "$(verdict "${r[big.peak]}" "<=" 64)" \
      "${r[empty.peak]} MiB" "$(verdict "${r[empty.peak]}" "<=" 64)" \
    "resident memory idle (${quiet_wait} s quiet; at start)" "<= 16 MiB" "${r[big.idle]} MiB (${r[big.start_rss]})" \
      "$(verdict "${r[big.idle]}" "<=" 16)" "${r[empty.idle]} MiB (${r[empty.start_rss]})" \
      "$(verdict "${r[empty.idle]}" "<=" 16)" \
    "pending, p99 at $pending_rate/s ($busiest)" "<= 5 ms" "${r[big.pending_p99]} ms (p50 ${r[big.pending_p50]})" \
      "$(verdict "${r[big.pending_p99]}" "<=" 5)" "${r[empty.pending_p99]} ms (p50 ${r[empty.pending_p50]})" \
      "$(verdict "${r[empty.pending_p99]}" "<=" 5)" \
    "start-up to the first answered request" "<= 100 ms" "${r[big.startup]} ms" "$(verdict "${r[big.startup]}" "<=" 100)" \
      "${r[empty.startup]} ms" "$(verdict "${r[empty.startup]}" "<=" 100)"
  say "  also: at full speed wrk's p50/p99 were ${r[big.wrk_p50]}/${r[big.wrk_p99]} ms (big) and" \
    "${r[empty.wrk_p50]}/${r[empty.wrk_p99]} ms (empty), peak memory ${r[big.peak_max]} and ${r[empty.peak_max]} MiB;" \
    "achieved ${r[big.achieved]} and ${r[empty.achieved]} updates/s in run 2 (* the generator did not keep up)"
  say "  at full speed, per update: ${r[big.cost]} (big); ${r[empty.cost]} (empty)"
}

for name in "${selected[@]}"; do
  declare -F "bench_$name" >/dev/null || { usage >&2; die "unknown scenario '$name'"; }
done

scripts/setup.sh
BUILD_TYPE=Release scripts/build.sh

for name in "${selected[@]}"; do
  "bench_$name"
done
((failed == 0)) || die "FAILED: error responses, socket errors, uncommitted updates, outbound traffic" \
  "off loopback or an unclean stop (above)"
