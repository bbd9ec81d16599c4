#!/usr/bin/env bash
# The layer check passes on the tree as it is and fails, naming the file and the include, on a
# copy in which a store/ file reaches above bot/core or the chat core names a platform.
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
check=$source_dir/scripts/check-layers.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$check" "$source_dir" >/dev/null

copy() { rm -rf "$work/tree"; mkdir -p "$work/tree"; cp -r "$source_dir"/{bot,adapters,store,config} "$work/tree/"; }

expect_failure() {  # expect_failure WHAT PATTERN
  if "$check" "$work/tree" >"$work/out" 2>&1; then
    echo "FAIL: the layer check passed with $1"; exit 1
  fi
  if ! grep -q -- "$2" "$work/out"; then
    echo "FAIL: the layer check's answer to $1 does not say '$2':"; cat "$work/out"; exit 1
  fi
}

copy
sed -i '1a #include "bot/actions/actions.hpp"' "$work/tree/store/items.cpp"
expect_failure "store/items.cpp including bot/actions/actions.hpp" \
  'store/items.cpp:2 includes "bot/actions/actions.hpp", which store may not'

copy
sed -i '1a #include "adapters/telegram.hpp"' "$work/tree/bot/engine/tiers.cpp"
expect_failure "the engine including an adapter" 'bot/engine/tiers.cpp:2 includes "adapters/telegram.hpp"'

copy
echo 'static char const* const where = "whatsapp";' >>"$work/tree/bot/chat/conversation.cpp"
expect_failure "the chat core naming a platform" 'bot/chat/conversation.cpp:.*names a platform'

copy
echo 'static char const* const urgent = "SMS";' >>"$work/tree/bot/engine/deadlines.cpp"
expect_failure "the engine naming SMS" 'bot/engine/deadlines.cpp:.*names a platform'

copy
echo '// a comment may say telegram' >>"$work/tree/bot/chat/conversation.cpp"
"$check" "$work/tree" >/dev/null || { echo "FAIL: a comment naming a platform was refused"; exit 1; }
echo "check-layers-test: ok"
