#!/usr/bin/env bash
# The text check passes on the tree as it is and fails, naming file and line, on copies in which
# a phrase triple, a Chinese literal or an English sentence is written in the messages' code.
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
check=$source_dir/scripts/check-texts.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$check" "$source_dir" >/dev/null

copy() { rm -rf "$work/tree"; mkdir -p "$work/tree"; cp -r "$source_dir"/{bot,adapters,store,config} "$work/tree/"; }

expect_failure() {  # expect_failure WHAT PATTERN
  if python3 "$check" "$work/tree" >"$work/out" 2>&1; then
    echo "FAIL: the text check passed with $1"; exit 1
  fi
  if ! grep -q -- "$2" "$work/out"; then
    echo "FAIL: the text check's answer to $1 does not say '$2':"; cat "$work/out"; exit 1
  fi
}

copy
echo 'constexpr phrase late{"late", "迟", "देर"};' >>"$work/tree/bot/messages/card.cpp"
expect_failure "a phrase triple" 'bot/messages/card.cpp:.*a phrase triple'

copy
echo 'static char const* const late = "已逾期";  // a comment "ok"' >>"$work/tree/bot/actions/notify.cpp"
expect_failure "a Chinese literal outside the catalogues" 'bot/actions/notify.cpp:.*holds words'

copy
echo 'static char const* const late = "Sorry, that is late";' >>"$work/tree/bot/messages/lists.cpp"
expect_failure "an English sentence in the messages' code" 'bot/messages/lists.cpp:.*reads as English'

copy
echo '// "已逾期" and "Sorry, that is late" in a comment are fine' >>"$work/tree/bot/messages/lists.cpp"
python3 "$check" "$work/tree" >/dev/null
echo "the text check passes on the tree and catches each planted text"
