#!/usr/bin/env bash
# Checks scripts/prometheus/alerts.yml with promtool, and that every signoff_ metric it uses is
# one the server exports (named in the sources). Exit 77 (ctest: skipped) without promtool.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rules=$src/scripts/prometheus/alerts.yml
if ! command -v promtool >/dev/null 2>&1; then
  echo "alerts-test: SKIPPED: promtool not found (apt-get install --no-install-recommends prometheus)" >&2
  exit 77
fi
promtool check rules "$rules"
missing=0
for metric in $(grep -o 'signoff_[a-z_]*' "$rules" | sed -E 's/_(bucket|sum|count)$//' | sort -u); do
  if ! grep -rqF "\"$metric\"" "$src/bot" "$src/store"; then
    echo "alerts-test: $metric is used in alerts.yml but signoff does not export it" >&2
    missing=1
  fi
done
exit $missing
