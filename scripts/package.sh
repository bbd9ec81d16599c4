#!/usr/bin/env bash
# Builds the Debian package build/signoff_<version>_<arch>.deb from the binary scripts/build.sh
# made (cpack reruns nothing that is up to date). Prints the package's path on stdout.
# Install it with: sudo apt install ./build/signoff_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=${1:-build}
[[ -x $dir/signoff ]] || scripts/build.sh
log=$dir/package.log
if ! (cd "$dir" && cpack -G DEB) >"$log" 2>&1; then
  cat "$log" >&2
  echo "package: cpack FAILED; see $log" >&2
  exit 1
fi
deb=$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$log" | tail -1)
[[ -f $deb ]] || { cat "$log" >&2; echo "package: no .deb was generated" >&2; exit 1; }
echo "$deb"
