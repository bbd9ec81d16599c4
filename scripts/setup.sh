#!/usr/bin/env bash
# Installs the Debian 12 packages signoff needs to build, test, package and benchmark.
# python3-cryptography is for scripts/chaos.sh (the WeCom callbacks it encrypts).
# promtool (package prometheus, about 100 MB installed) is left out: the alert-rules test skips
# without it; `apt-get install --no-install-recommends prometheus` to run it.
# Idempotent and quiet: it only calls apt-get when something is missing, and says what.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev nlohmann-json3-dev libssl-dev libsqlite3-dev catch2
  libhowardhinnant-date-dev libutf8proc-dev libpugixml-dev clang libclang-rt-14-dev
  libboost-locale1.81-dev libicu-dev gettext
  libmagic-dev libmagic-mgc libturbojpeg0-dev libpng-dev
  tzdata ca-certificates wrk sqlite3 python3 python3-cryptography
  chromium chromium-driver python3-selenium
  dpkg-dev curl systemd
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup: dpkg-query not found; this script targets Debian 12. Install the equivalents of:" >&2
  echo "  ${packages[*]}" >&2
  exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
  [[ -t 0 ]] || as_root+=(-n)  # no terminal to ask for a password on: fail instead of hanging
else
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: not root and sudo is not available; install them as root" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { "${as_root[@]}" apt-get update -q &&
       "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "setup: apt-get failed" >&2
  exit 1
fi
