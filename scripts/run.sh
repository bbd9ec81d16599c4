#!/usr/bin/env bash
# Installs what is missing, builds, and runs the server: `scripts/run.sh` alone serves the
# embedded demo configuration on 127.0.0.1:8080; arguments go to `signoff serve`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build.sh
exec build/signoff serve "$@"
