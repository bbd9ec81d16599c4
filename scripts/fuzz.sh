#!/usr/bin/env bash
# Runs one libFuzzer target (tests/fuzz/TARGET_fuzz.cpp, built as build/TARGET_fuzzer) from its
# committed seed corpus tests/fuzz/corpus_TARGET/.
#   scripts/fuzz.sh TARGET [SECONDS]        fuzz for SECONDS (default 300), keeping what it
#                                           learns in build/fuzz/TARGET/corpus for the next run
#                                           and its whole output in build/fuzz/TARGET/log
#   scripts/fuzz.sh --runs N TARGET [BINARY] a fixed number of inputs from the seeds alone, new
#                                           inputs in a temporary directory (the ctest tests)
# Targets: telegram whatsapp wecom chat rest config http_request. The committed corpus is only
# read; crashing inputs are written to build/fuzz/TARGET/ (crash-*, leak-*, timeout-*).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

runs=
if [[ ${1:-} == --runs ]]; then
  runs=$2
  shift 2
fi
target=${1:?usage: scripts/fuzz.sh [--runs N] TARGET [SECONDS|BINARY]}
seeds=$root/tests/fuzz/corpus_$target
[[ -d $seeds ]] || { echo "fuzz: no seed corpus $seeds" >&2; exit 2; }
case $target in
  config) max_len=16384 ;;  # config/demo.json is about 8 KB
  *) max_len=8192 ;;
esac
# The project's own files that are inputs of a target are seeds where they live, not copies.
case $target in
  config) shipped=(config/demo.json config/example.json scripts/package/config.json) ;;
  *) shipped=() ;;
esac
live=$(mktemp -d /tmp/signoff-fuzz-seeds-XXXXXX)
work=
trap 'rm -rf "$live" ${work:+"$work"}' EXIT
for file in "${shipped[@]}"; do cp "$root/$file" "$live/$(echo "$file" | tr / _)"; done

if [[ -n $runs ]]; then
  binary=${2:-$root/build/${target}_fuzzer}
  work=$(mktemp -d /tmp/signoff-fuzz-XXXXXX)
  "$binary" -runs="$runs" -seed=1 -max_len=$max_len -print_final_stats=1 -artifact_prefix="$work/" \
    "$work" "$seeds" "$live" 2>&1 | grep -v -e '^"' -e 'recommended dictionary' | tail -n 12
else
  seconds=${2:-300}
  binary=$root/build/${target}_fuzzer
  out=$root/build/fuzz/$target
  mkdir -p "$out/corpus"
  "$binary" -max_total_time="$seconds" -max_len=$max_len -print_final_stats=1 -artifact_prefix="$out/" \
    "$out/corpus" "$seeds" "$live" 2>&1 | tee "$out/log" | grep -v -e '^"' -e 'recommended dictionary' | tail -n 14
fi
