#!/usr/bin/env bash
# Runs the WeCom fuzz target for a fixed number of inputs from the committed seed corpus.
#   scripts/fuzz-wecom.sh BINARY [RUNS]
# New inputs go to a temporary directory, so the committed corpus stays as it is.
set -euo pipefail
binary=$1
runs=${2:-20000}
corpus=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/fuzz/corpus_wecom" && pwd)
work=$(mktemp -d /tmp/signoff-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$binary" -runs="$runs" -seed=1 -max_len=8192 -print_final_stats=1 "$work" "$corpus" 2>&1 | tail -n 12
