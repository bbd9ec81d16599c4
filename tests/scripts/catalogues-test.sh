#!/usr/bin/env bash
# The catalogue check passes on the tree as it is, and fails on copies in which one catalogue
# lacks a message, renames a placeholder, or does not compile.
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
check=$source_dir/scripts/check-catalogues.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$check" "$source_dir"

copy() {
  rm -rf "$work/tree"; mkdir -p "$work/tree/bot/core"
  cp -r "$source_dir/bot/messages" "$work/tree/bot/"; cp "$source_dir/bot/core/command_words.hpp" "$work/tree/bot/core/"
}

expect_failure() {  # expect_failure WHAT PATTERN
  if python3 "$check" "$work/tree" >"$work/out" 2>&1; then
    echo "FAIL: the catalogue check passed with $1"; exit 1
  fi
  if ! grep -q -- "$2" "$work/out"; then
    echo "FAIL: the catalogue check's answer to $1 does not say '$2':"; cat "$work/out"; exit 1
  fi
}

copy
sed -i '/^msgid "replies.back"$/,/^$/d' "$work/tree/bot/messages/po/lt.po"
expect_failure "a message removed from lt.po" 'lt.po: message replies.back is missing'

copy
sed -i 's/{rev}/{revision}/' "$work/tree/bot/messages/po/zh-Hant.po"
expect_failure "a renamed placeholder" 'zh-Hant.po: message .* has placeholders'

copy
sed -i 's/^msgstr\[2\] \(.*\)$/msgstr[2] \1\nmsgstr[3] "x"/' "$work/tree/bot/messages/po/lt.po"
expect_failure "four plural forms where Plural-Forms says three" 'lt.po: msgfmt --check fails'

copy
sed -i 's/^msgid "card.then"$/msgid "card.then"\nmsgstr "a"/' "$work/tree/bot/messages/po/hi.po"
expect_failure "a catalogue that does not compile" 'hi.po: msgfmt --check fails'
echo "the catalogue check passes on the tree and catches each planted fault"
