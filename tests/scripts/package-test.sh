#!/usr/bin/env bash
# Builds the Debian package from the build in $1 (default build/), checks its control data and
# contents, installs it with dpkg into a throwaway root (dpkg --root, maintainer scripts run;
# never into this system), runs systemd-analyze verify on the installed unit, starts the
# installed binary on the installed configuration and expects /healthz to answer, then purges.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
work=$(mktemp -d /tmp/signoff-package-XXXXXX)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }

deb=$("$src/scripts/package.sh" "$build")
version=$(sed -n 's/^project(signoff VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[[ $(basename "$deb") == "signoff_${version}_amd64.deb" ]] || fail "package named $(basename "$deb")"

info=$(dpkg-deb --info "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == signoff && $(field Version) == "$version" && $(field Architecture) == amd64 ]] ||
  fail "control fields: $(field Package) $(field Version) $(field Architecture)"
depends=$(field Depends)
for lib in libc6 libssl3 libsqlite3-0 libstdc++6 libboost-url1.81.0 libpugixml1v5 libutf8proc2 tzdata; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
grep -q 'conffiles' <<<"$info" || fail "no conffiles in the control archive"

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/signoff ./etc/signoff/config.json ./etc/default/signoff ./lib/systemd/system/signoff.service; do
  grep -q " $path\$" <<<"$contents" || fail "$path is not in the package"
done
grep -q '^-rw------- .* ./etc/default/signoff$' <<<"$contents" || fail "/etc/default/signoff is not 0600"

# Every dependency is a real package, installed on this (Debian) build machine.
for dep in $(sed 's/([^)]*)//g; s/,/ /g' <<<"$depends"); do
  [[ $(dpkg-query -W -f='${Status}' "$dep" 2>/dev/null) == "install ok installed" ]] || fail "Depends names $dep, not installed here"
done

# A real dpkg install into an empty root: its database knows none of the dependencies (checked
# above), and the maintainer scripts run outside a chroot with DPKG_ROOT set.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() { dpkg --root="$root" --force-script-chrootless --log=/dev/null "$@"; }
dpkg_root --force-depends -i "$deb" >"$work/dpkg.txt" 2>&1 || fail "dpkg -i: $(cat "$work/dpkg.txt")"
[[ $(dpkg-query --root="$root" -W -f='${Status}' signoff) == "install ok installed" ]] || fail "not installed"
dpkg-deb -e "$deb" "$work/control"
diff <(sort "$work/control/conffiles") <(printf '/etc/default/signoff\n/etc/signoff/config.json\n') >/dev/null ||
  fail "conffiles: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do sh -n "$work/control/$script" || fail "$script does not parse"; done

unit=$root/lib/systemd/system/signoff.service
for setting in 'Type=simple' 'DynamicUser=yes' 'StateDirectory=signoff' 'ProtectSystem=strict' 'NoNewPrivileges=yes' \
               'PrivateTmp=yes' 'Restart=on-failure' 'EnvironmentFile=-/etc/default/signoff' \
               'ExecStart=/usr/bin/signoff serve --config /etc/signoff/config.json'; do
  grep -qx "$setting" "$unit" || fail "the unit lacks $setting"
done
# --root makes systemd resolve ExecStart= and the unit's other paths inside the unpacked package,
# so the check is of this package's binary, not of whatever this host has. The host's own units
# (sysinit.target, network-online.target…) are copied in beside it, as an installed system has them.
mkdir -p "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
if ! out=$(systemd-analyze verify --root="$root" /lib/systemd/system/signoff.service 2>&1); then
  fail "systemd-analyze verify: $out"
fi
[[ -z $out ]] || fail "systemd-analyze verify complained: $out"

# The installed configuration is valid as shipped, with no secrets set.
env -i PATH=/usr/bin:/bin "$root/usr/bin/signoff" check-config "$root/etc/signoff/config.json" >"$work/check.txt" ||
  fail "check-config: $(cat "$work/check.txt")"
"$root/usr/bin/signoff" version | grep -q "^signoff $version " || fail "version: $("$root/usr/bin/signoff" version)"

env -i PATH=/usr/bin:/bin "$root/usr/bin/signoff" serve --config "$root/etc/signoff/config.json" \
  --db "$work/signoff.db" --listen 127.0.0.1:0 >"$work/out.txt" 2>"$work/err.txt" &
server=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out.txt" && break
  kill -0 "$server" 2>/dev/null || fail "the unpacked server exited: $(cat "$work/err.txt")"
  sleep 0.1
done
address=$(sed -n 's/^listening on //p' "$work/out.txt")
[[ -n $address ]] || fail "the unpacked server did not listen: $(cat "$work/err.txt")"
health=$(curl -sS --max-time 5 "http://$address/healthz") || fail "GET /healthz failed"
[[ $health == '{"status":"ok"}' ]] || fail "/healthz answered $health"
kill -TERM "$server"
wait "$server" || fail "the unpacked server did not stop cleanly on SIGTERM"
server=
[[ $(stat -c %a "$work/signoff.db") == 600 ]] || fail "the database is not 0600"
dpkg_root --purge signoff >"$work/dpkg.txt" 2>&1 || fail "dpkg --purge: $(cat "$work/dpkg.txt")"
[[ ! -e $root/usr/bin/signoff && ! -e $root/etc/signoff/config.json && ! -e $root/etc/default/signoff ]] ||
  fail "purge left files behind"
echo "package-test: ok: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
