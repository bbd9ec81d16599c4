#!/usr/bin/env bash
# Benchmarks a Release build of signoff against the targets of SPEC §9 and prints the figures
# for the README. Talks only to a server it starts itself on 127.0.0.1 (with a clean
# environment, so no channel credentials and no outbound traffic), and stops on its own.
#
#   scripts/bench.sh [items|all]     default: all
#   DURATION=10 (seconds of load per scenario), CONNECTIONS=32
#
# A scenario is a function bench_NAME listed in `scenarios`; it starts a fresh server with
# start_server (extra VAR=value arguments become the server's environment), loads it with
# run_wrk and a Lua script in scripts/bench/, and stops it with stop_server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

scenarios=(items)  # a later webhook benchmark: add bench_telegram below and "telegram" here
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
wrk_threads=2
api_key=demo-prdesk-key  # the embedded demo config's prdesk key (scopes submit, read, admin)

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*"; }

usage() {
  local IFS='|'
  echo "usage: scripts/bench.sh [${scenarios[*]}|all]   (env: DURATION=$duration CONNECTIONS=$connections)"
}

choice=${1:-all}
case $choice in
  -h|--help) usage; exit 0 ;;
  all) selected=("${scenarios[@]}") ;;
  *) selected=("$choice") ;;
esac
[[ $duration =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a whole number of seconds, not '$duration'"
[[ $connections =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive number, not '$connections'"

work=$(mktemp -d /tmp/signoff-bench-XXXXXX)
server_pid=
server_dir=
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

# start_server NAME [VAR=value...]: a fresh server and database in $work/NAME; sets
# server_pid, server_dir, port, and startup_ms (spawn to the first answered /healthz).
start_server() {
  server_dir=$work/$1
  shift
  mkdir -p "$server_dir"
  : >"$server_dir/stdout"
  local started line status
  started=$(now_ms)
  (cd "$server_dir" &&
    exec env -i PATH="$PATH" HOME="$server_dir" LANG=C.UTF-8 "$@" \
      "$root/build/signoff" serve --db "$server_dir/bench.db" --listen 127.0.0.1:0 \
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

# run_wrk LUA_SCRIPT PATH: the load, then wrk's report including the script's done() lines.
run_wrk() {
  SIGNOFF_BENCH_KEY=$api_key timeout $((duration + 30)) \
    wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout 10s --latency \
      -s "$1" "http://127.0.0.1:$port$2" | tee "$server_dir/wrk.txt"
  local bad
  bad=$(sed -n 's/^bench: non-201 responses \([0-9]*\).*/\1/p' "$server_dir/wrk.txt")
  [[ $bad == 0 ]] || failed=1
  grep -q '^bench: socket errors connect 0, read 0, write 0, timeout 0$' "$server_dir/wrk.txt" || failed=1
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

for name in "${selected[@]}"; do
  declare -F "bench_$name" >/dev/null || { usage >&2; die "unknown scenario '$name'"; }
done

scripts/setup.sh
BUILD_TYPE=Release scripts/build.sh

for name in "${selected[@]}"; do
  "bench_$name"
done
((failed == 0)) || die "FAILED: non-201 responses, socket errors or an unclean stop (above)"
