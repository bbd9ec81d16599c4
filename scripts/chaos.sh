#!/usr/bin/env bash
# Chaos, measured (SPEC §8: "kill -9 at any moment loses nothing that was acknowledged"; the
# outbox retries until delivered or dead). Kills a real `signoff serve` with SIGKILL CHAOS_KILLS
# times under a mixed load, restarts it on the same store after each kill and checks, then
# drains the outbox and checks every message. Prints the counts; exits 1 on any loss.
#
#   scripts/chaos.sh [BUILD_DIR]     default build/ (the Release build of scripts/build.sh)
#   CHAOS_KILLS=100 (kills), CHAOS_SEED=1 (the load's, the fakes' and the kill times' randomness;
#   thread timing still varies), CHAOS_DRAIN_SECONDS=240 (how long the outbox may take to drain),
#   CHAOS_KEEP=1 keeps the work directory (store, logs, acks, receipts) and prints its path.
#
# Everything runs on 127.0.0.1 with a clean environment: the server on scripts/chaos/config.json
# (12 people with ids on Telegram, WhatsApp and WeCom, each preferring one of them, so cards go
# out on all three; six roles; the agency callback on), its store in a temporary directory.
# - scripts/chaos/fakes.py: fake Telegram Bot API, WhatsApp Cloud API, WeCom API (gettoken,
#   message/send, update_template_card) and agency callback URL, in one process. While the chaos
#   is on they answer about 10% each with the platform's rate limit (429 with retry_after /
#   Retry-After; WeCom errcode 45009), a 500, or hold the request past the server's 15 s client
#   timeout; the rest succeed. Each message accepted is logged with the id it was answered with.
# - scripts/chaos/load.py, one process per round: API item creation with Idempotency-Key (and
#   replays of a key), API decisions, and webhooks on all three channels (Telegram updates with the
#   secret token, WhatsApp notifications signed with X-Hub-Signature-256, WeCom encrypted XML with
#   msg_signature): the assignees approve their items, answer complaints, ask for `pending` and
#   `show N`, WhatsApp reports messages delivered, and Telegram stickers go back to back (no
#   effect but the update's dedupe key, so the store's writer is busy when the kill comes). Each
#   2xx answer is logged as an acknowledged effect. Each round first sends again the previous
#   round's items and webhooks that the kill left unanswered, unchanged, as the platforms (and a
#   client with an Idempotency-Key) do: none may take effect twice.
# - Each round: the load starts, the server is killed with SIGKILL 0.2-2 s later, the load is
#   stopped, the server restarted on the same store; then scripts/chaos/check.py checks that every
#   effect acknowledged so far (in every round) is in the store and the audit trail, with the
#   messages it queued, and that nothing is there twice, reading the SQLite file read-only; and
#   `signoff audit verify` runs on the store.
# - At the end the fakes' chaos is turned off (SIGUSR1), the server drains its outbox, and every
#   committed outbox row must be delivered or dead, and every row marked delivered must have
#   reached a fake at least once. Duplicates (a message accepted more than once: sent again after
#   a kill, or accepted after the server stopped waiting) are allowed and counted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
build=$(cd "${1:-$root/build}" && pwd)
bin=$build/signoff
py=/usr/bin/python3  # Debian's, with python3-cryptography (python3 may be a pyenv shim)
kills=${CHAOS_KILLS:-100}
seed=${CHAOS_SEED:-1}
drain_seconds=${CHAOS_DRAIN_SECONDS:-240}
[[ $kills =~ ^[0-9]+$ ]] || { echo "chaos: CHAOS_KILLS must be a whole number, not '$kills'" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "chaos: CHAOS_SEED must be a whole number, not '$seed'" >&2; exit 2; }
[[ -x $bin ]] || { echo "chaos: $bin not found; run scripts/build.sh" >&2; exit 2; }
"$py" -c 'import cryptography' 2>/dev/null || { echo "chaos: $py lacks python3-cryptography (scripts/setup.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/signoff-chaos-XXXXXX)
db=$work/chaos.db
acks=$work/acks.jsonl
lost=$work/lost.jsonl
receipts=$work/receipts.jsonl
: >"$acks"
: >"$lost"
: >"$receipts"
fakes_pid=
server_pid=
load_pid=
cleanup() {
  for pid in $load_pid $server_pid $fakes_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n ${CHAOS_KEEP:-} ]]; then echo "chaos: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
die() { echo "chaos: $*" >&2; exit 1; }

# The secrets of the fake platforms; nothing leaves 127.0.0.1.
export TELEGRAM_BOT_TOKEN=123456:CHAOS-TOKEN TELEGRAM_SECRET_TOKEN=chaos_secret
export WHATSAPP_TOKEN=chaos-wa-token WHATSAPP_APP_SECRET=chaos-app-secret WHATSAPP_PHONE_NUMBER_ID=106540352242922
export WECOM_CORP_ID=wwchaos0123456789 WECOM_SECRET=chaos-corp-secret WECOM_TOKEN=chaostoken
export WECOM_AES_KEY=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
export SIGNOFF_CALLBACK_SECRET=chaos-callback-secret

"$py" "$root/scripts/chaos/fakes.py" "$work/ports.json" "$receipts" "$seed" 2>"$work/fakes.log" &
fakes_pid=$!
for _ in $(seq 100); do [[ -f $work/ports.json ]] && break; sleep 0.05; done
[[ -f $work/ports.json ]] || die "the fakes did not start: $(cat "$work/fakes.log")"
port_of() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/ports.json" "$1"; }
export TELEGRAM_API_BASE=http://127.0.0.1:$(port_of telegram)
export WHATSAPP_API_BASE=http://127.0.0.1:$(port_of whatsapp)
export WECOM_API_BASE=http://127.0.0.1:$(port_of wecom)
export SIGNOFF_CALLBACK_URL=http://127.0.0.1:$(port_of callback)/hooks/signoff

server_env=()
for var in TELEGRAM_BOT_TOKEN TELEGRAM_SECRET_TOKEN TELEGRAM_API_BASE WHATSAPP_TOKEN WHATSAPP_APP_SECRET \
           WHATSAPP_PHONE_NUMBER_ID WHATSAPP_API_BASE WECOM_CORP_ID WECOM_SECRET WECOM_TOKEN WECOM_AES_KEY \
           WECOM_API_BASE SIGNOFF_CALLBACK_URL SIGNOFF_CALLBACK_SECRET; do
  server_env+=("$var=${!var}")
done

# Starts the server on the store and sets server_pid and port; its log is appended to server.log.
start_server() {
  local out=$work/listening
  : >"$out"
  env -i PATH=/usr/bin:/bin HOME="$work" "${server_env[@]}" \
    "$bin" serve --config "$root/scripts/chaos/config.json" --db "$db" --listen 127.0.0.1:0 \
    >"$out" 2>>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 200); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out")
    [[ -n $port ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || die "the server exited on start: $(tail -5 "$work/server.log")"
    sleep 0.02
  done
  die "the server did not listen within 4 s"
}

RANDOM=$seed
start=$SECONDS
checks=0
verified=0
start_server
for round in $(seq 1 "$kills"); do
  "$py" "$root/scripts/chaos/load.py" "$port" "$round" "$seed" "$acks" "$db" 2>>"$work/load.log" &
  load_pid=$!
  delay_ms=$((200 + RANDOM % 1801))
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  kill "$load_pid" 2>/dev/null || true
  wait "$load_pid" 2>/dev/null || true
  load_pid=
  start_server
  result=$("$py" "$root/scripts/chaos/check.py" acks "$db" "$acks" "$lost" "$round")
  checks=$((checks + 1))
  if "$bin" audit verify --db "$db" >"$work/verify.out" 2>&1; then
    verified=$((verified + 1))
  else
    echo "chaos: round $round: audit verify FAILED: $(tail -3 "$work/verify.out")" >&2
  fi
  if [[ $result != *" lost 0 doubles 0" ]]; then echo "chaos: round $round: $result" >&2; fi
  (( round % 10 == 0 )) && echo "chaos: $round kills, $((SECONDS - start)) s" >&2
done

# The drain: no more chaos in the fakes; every queued row must go (or die) within drain_seconds.
kill -USR1 "$fakes_pid"
drained=0
drain_start=$SECONDS
for _ in $(seq $((drain_seconds * 2))); do
  queued=$(sqlite3 -readonly "$db" "SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
  if [[ $queued == 0 ]]; then drained=1; break; fi
  sleep 0.5
done
drain_time=$((SECONDS - drain_start))
kill -TERM "$server_pid"
wait "$server_pid" || die "the server did not stop cleanly (exit $?)"
server_pid=
if "$bin" audit verify --db "$db" >"$work/verify.out" 2>&1; then verified=$((verified + 1)); else
  echo "chaos: final audit verify FAILED: $(tail -3 "$work/verify.out")" >&2; fi
checks=$((checks + 1))
outbox=$("$py" "$root/scripts/chaos/check.py" outbox "$db" "$receipts")
effects=$(wc -l <"$acks")
mix=$("$py" -c 'import collections,json,sys
n = collections.Counter()
for line in open(sys.argv[1]):
    a = json.loads(line)
    t = a["type"]
    n["API items" if t == "item" else "Idempotency-Key replays" if t == "replay" else "API decisions" if t == "decision"
      else "stickers" if a["cmd"] == "sticker" else "WhatsApp statuses" if a["cmd"] == "status"
      else {"telegram": "Telegram", "whatsapp": "WhatsApp", "wecom": "WeCom"}[a["channel"]] + " commands"] += 1
print(", ".join(f"{v} {k}" for k, v in n.most_common()))' "$acks")
# Distinct effects found missing (or twice) in any round.
count_lost() {
  "$py" -c 'import json,sys
lines = [json.loads(l) for l in open(sys.argv[1])]
print(len({json.dumps(l[sys.argv[2]], sort_keys=True) for l in lines if sys.argv[2] in l}))' "$lost" "$1"
}
lost_effects=$(count_lost ack)
doubled_effects=$(count_lost double)
redelivered=$(grep -c '"redelivered": true' "$acks" || true)
# outbox: "committed N delivered N dead N lost N duplicates N late N skipped N"
read -r _ committed _ delivered _ dead _ outbox_lost _ duplicates _ late _ skipped <<<"$outbox"

echo "chaos: kills                          $kills (seed $seed, $((SECONDS - start)) s, of which the drain $drain_time s)"
echo "chaos: acknowledged effects checked   $effects (each after every later kill): $mix"
echo "chaos: acknowledged effects lost      $lost_effects"
echo "chaos: effects applied twice          $doubled_effects (after $redelivered redeliveries of requests a kill left unanswered)"
echo "chaos: outbox rows committed          $committed"
echo "chaos: outbox rows delivered          $delivered (of which $skipped had nothing to send)"
echo "chaos: outbox rows dead               $dead"
echo "chaos: outbox rows lost               $outbox_lost$([[ $drained == 1 ]] || echo ' (the drain did not finish)')"
echo "chaos: duplicates                     $duplicates (of which $late accepted after the server gave up waiting)"
echo "chaos: audit verify passes            $verified of $checks"
if (( lost_effects + doubled_effects > 0 )); then
  echo "chaos: lost or doubled effects (first 10):" >&2
  head -10 "$lost" >&2
fi
(( lost_effects == 0 && doubled_effects == 0 && outbox_lost == 0 && verified == checks && drained == 1 ))
