#!/usr/bin/env bash
# Installs what is missing, checks that dependencies point down (scripts/check-layers.sh) and
# that no message text is left in C++ (scripts/check-texts.py), builds, and runs every test
# through ctest; exits non-zero when a check or a test fails.
# Arguments go to ctest, e.g. `scripts/test.sh -R telegram`. BUILD_TYPE=Sanitize runs the whole
# suite under AddressSanitizer and UndefinedBehaviorSanitizer, BUILD_TYPE=Thread under
# ThreadSanitizer (each in its own build directory; see scripts/build.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/check-layers.sh
scripts/check-texts.py
scripts/build.sh
source scripts/build-dir.sh
exec ctest --test-dir "$(build_dir "${BUILD_TYPE:-Release}")" --output-on-failure --no-tests=error -j2 --timeout 120 "$@"
