#!/usr/bin/env bash
# Keeps the house in rooms: reads every project #include and fails, naming the file and the
# include, when a folder reaches one it may not (dependencies point down only), or when a
# platform's name appears in the code of a folder that must stay channel-neutral.
# Run by scripts/test.sh; `scripts/check-layers.sh DIR` checks another tree (its own test).
set -euo pipefail
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root"

# What each folder may include, besides itself. Read top to bottom, it is the house's order:
# a folder names only folders above it in this list.
declare -A may_include=(
  [bot/core]=""
  [config]="bot/core"
  [store]="bot/core"
  [adapters]="bot/core config"
  [bot/net]="bot/core"
  [bot/media]="bot/core"
  [bot/engine]="bot/core config"
  [bot/messages]="bot/core config bot/engine"
  [bot/actions]="bot/core config store bot/engine bot/media"
  [bot/chat]="bot/core config store bot/engine bot/messages bot/actions"
  [bot/outbox]="bot/core config store adapters bot/net bot/engine bot/messages bot/media bot/app.hpp"
  [bot/scheduler]="bot/core config store bot/net bot/engine bot/actions bot/app.hpp"
  [bot/webhooks]="bot/core config store adapters bot/net bot/chat bot/app.hpp"
  [bot/api]="bot/core config store bot/net bot/engine bot/actions bot/media bot/app.hpp"
  [bot/console]="bot/core config bot/net bot/engine bot/messages"
  [bot]="*"
  [tests]="*"
)
# Folders that must not name a platform in code (comments and strings of other folders aside).
neutral=(bot/core bot/media bot/engine bot/messages bot/actions bot/chat bot/outbox bot/net bot/scheduler bot/api bot/console)
platforms='telegram|whatsapp|wecom|\bsms\b'

room_of() {  # the most specific folder of the table that holds $1
  local dir
  dir=$(dirname "$1")
  while [[ -z ${may_include[$dir]+x} ]]; do
    [[ $dir == . || $dir == / ]] && return 1
    dir=$(dirname "$dir")
  done
  echo "$dir"
}

allowed() {  # allowed ROOM INCLUDE
  local room=$1 inc=$2 target entry
  [[ ${may_include[$room]} == "*" ]] && return 0
  target=$(room_of "$inc") || return 0  # not a project header
  [[ $target == "$room" ]] && return 0
  for entry in ${may_include[$room]}; do
    [[ $target == "$entry" || $inc == "$entry" ]] && return 0
  done
  return 1
}

failures=0
while IFS= read -r file; do
  room=$(room_of "$file") || continue
  while IFS=: read -r line inc; do
    if ! allowed "$room" "$inc"; then
      echo "check-layers: $file:$line includes \"$inc\", which $room may not (it may include: ${may_include[$room]:-nothing of ours})"
      failures=$((failures + 1))
    fi
  done < <(awk 'match($0, /^[ \t]*#[ \t]*include[ \t]*"[^"]+"/) {
                  inc = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", inc); sub(/"$/, "", inc)
                  print FNR ":" inc }' "$file")
done < <(find bot adapters store config -name '*.hpp' -o -name '*.cpp' | sort)

for dir in "${neutral[@]}"; do
  [[ -d $dir ]] || continue
  # Code only: // comments dropped (string literals stay, they are code).
  while IFS= read -r hit; do
    echo "check-layers: $hit names a platform; $dir must stay channel-neutral (platforms live in adapters/, bot/webhooks/ and bot/serve.cpp)"
    failures=$((failures + 1))
  done < <(find "$dir" -name '*.hpp' -o -name '*.cpp' | sort | while IFS= read -r f; do
             sed 's://.*$::' "$f" | grep -inE "$platforms" | sed "s|^|$f:|" || true
           done)
done

if ((failures > 0)); then
  echo "check-layers: $failures problem(s)"
  exit 1
fi
echo "check-layers: ok ($(find bot adapters store config -name '*.[ch]pp' | wc -l) files, every include points down)"
