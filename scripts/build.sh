#!/usr/bin/env bash
# Configures (once) and builds signoff and its tests with Ninja on every core.
# BUILD_TYPE=Release (default, into build/) | Sanitize (ASan + UBSan) | Thread (TSan) | Debug |
# RelWithDebInfo, each but Release into build-<type>/ (scripts/build-dir.sh). Prints only the compiler's
# warnings and errors, then one summary line; all of it on stderr, so that scripts/run.sh's
# standard output is the server's own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/build-dir.sh
build_type=${BUILD_TYPE:-Release}
dir=$(build_dir "$build_type")
cache=$dir/CMakeCache.txt
log=$dir/build.log
start=$SECONDS

cached() { sed -n "s/^$1:[A-Z]*=//p" "$cache" 2>/dev/null || true; }

# A build/ configured by hand with another generator cannot be reused by Ninja.
if [[ -f $cache && $(cached CMAKE_GENERATOR) != Ninja ]]; then
  rm -rf "$cache" "$dir/CMakeFiles"
fi
if [[ ! -f $dir/build.ninja || $(cached CMAKE_BUILD_TYPE) != "$build_type" ]]; then
  mkdir -p "$dir"
  if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >"$log" 2>&1; then
    cat "$log" >&2
    echo "build: cmake configure FAILED ($build_type); see $log" >&2
    exit 1
  fi
  if grep -q '^CMake \(Deprecation \)\?Warning' "$log"; then cat "$log" >&2; fi
fi

# Ninja's progress lines are dropped; diagnostics, FAILED: and the failing commands remain.
export NINJA_STATUS='[%f/%t] '
if cmake --build "$dir" -j "$(nproc)" 2>&1 |
   sed -u -E '/^\[[0-9]+\/[0-9]+\] /d; /^ninja: (Entering directory|no work to do)/d' | tee "$log" >&2; then
  warnings=$(grep -c 'warning:' "$log" || true)
  [[ $warnings == 1 ]] && noun=warning || noun=warnings
  echo "build: ok ($build_type, $dir/signoff and $dir/signoff_tests, $warnings $noun, $((SECONDS - start)) s)" >&2
else
  echo "build: FAILED ($build_type); the full output is in $log" >&2
  exit 1
fi
