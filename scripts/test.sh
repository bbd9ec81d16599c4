#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest; exits non-zero when
# a test fails. Arguments go to ctest, e.g. `scripts/test.sh -R telegram`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build.sh
exec ctest --test-dir build --output-on-failure --no-tests=error -j2 --timeout 120 "$@"
