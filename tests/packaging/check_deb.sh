#!/usr/bin/env bash
# Builds the Debian package with cpack and checks it: name, control fields,
# contents, maintainer scripts, and the systemd unit with `systemd-analyze verify`
# (must print nothing) and `systemd-analyze security` (exposure must stay low).
# Needs dpkg-deb, systemd-analyze and strace (scripts/install-deps.sh installs
# them); no running systemd is needed. Runs as root (chown, setpriv).
#   check_deb.sh BUILD_DIR VERSION
set -uo pipefail
build=$1
version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@" >"$work/out" 2>&1; then
    echo "ok:   $what"
  else
    echo "FAIL: $what"
    sed 's/^/  | /' "$work/out"
    failed=1
  fi
}

# A private output dir: ctest may run this beside other tests of the same build.
(cd "$build" && cpack -G DEB -B "$work/out-deb" >"$work/cpack.log" 2>&1) || {
  echo "FAIL: cpack -G DEB"
  cat "$work/cpack.log"
  exit 1
}
deb=$work/out-deb/keyward_${version}_amd64.deb
check "cpack made keyward_${version}_amd64.deb" test -s "$deb"
[ -s "$deb" ] || exit 1

dpkg-deb -I "$deb" >"$work/info"
dpkg-deb -c "$deb" | awk '{print $1, $6}' | sed 's| \./| /|' >"$work/contents"
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: keyward" test "$(field Package)" = keyward
check "Version: $version" test "$(field Version)" = "$version"
check "Architecture: amd64" test "$(field Architecture)" = amd64
check "Maintainer set" test -n "$(field Maintainer)"
# dpkg-shlibdeps found the libraries the binary links.
field Depends | tr ',' '\n' | awk '{print $1}' >"$work/depends"
for lib in libc6 libssl3 libsodium23 libsqlite3-0 libpq5 libhiredis0.14 'libspdlog1\.10(-fmt9)?' libfmt9 \
  'libstdc\+\+6'; do
  check "Depends names $lib" grep -qxE "$lib" "$work/depends"
done
has() { grep -qE "^$1 $2\$" "$work/contents"; }
check "/usr/bin/keyward, mode 0755" has -rwxr-xr-x /usr/bin/keyward
check "/usr/lib/systemd/system/keyward.service" has -rw-r--r-- \
  /usr/lib/systemd/system/keyward.service
check "/usr/share/doc/keyward/keyward.example.json" has -rw-r--r-- \
  /usr/share/doc/keyward/keyward.example.json
check "/usr/share/doc/keyward/openapi.yaml" has -rw-r--r-- \
  /usr/share/doc/keyward/openapi.yaml
check "nothing outside /usr" bash -c "! grep -vE ' /(usr(/.*)?)?/?\$' '$work/contents'"
check "postinst, prerm, postrm in the control archive" \
  bash -c "dpkg-deb -I '$deb' | grep -q ' postinst' && dpkg-deb -I '$deb' | grep -q ' prerm' && dpkg-deb -I '$deb' | grep -q ' postrm'"

root=$work/root
dpkg-deb -x "$deb" "$root"
check "the packaged binary runs (keyward version)" \
  bash -c "'$root/usr/bin/keyward' version | grep -qx 'keyward $version'"
check "the packaged binary is stripped (no .symtab)" \
  bash -c "readelf -S '$root/usr/bin/keyward' | grep -q ' .dynsym' && ! readelf -S '$root/usr/bin/keyward' | grep -q ' .symtab'"
check "the example config passes keyward config check" \
  "$root/usr/bin/keyward" config check "$root/usr/share/doc/keyward/keyward.example.json"

unit=$root/usr/lib/systemd/system/keyward.service
for directive in DynamicUser=yes StateDirectory=keyward ProtectSystem=strict \
  NoNewPrivileges=yes ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet= \
  'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service \
  'ExecStart=/usr/bin/keyward serve --data-dir /var/lib/keyward'; do
  check "unit has $directive" grep -qxF "$directive" "$unit"
done
# verify resolves ExecStart= inside --root, so the packaged binary is checked too;
# the units it depends on (sysinit.target, ...) come from the host's systemd.
cp -rn /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
check "systemd-analyze verify: clean" bash -c \
  "out=\$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root='$root' '$unit' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
# Exposure 0 (locked down) .. 10 (unprotected); a unit without hardening scores 9.6.
# --threshold is on a 0..100 scale: exit status 1 above 1.5.
check "systemd-analyze security: exposure at most 1.5" bash -c \
  "systemd-analyze security --offline=true --root='$root' --threshold=15 '$unit' | tail -1"

# The filter must allow what keyward really calls: trace the packaged binary, as an
# unprivileged user like the unit's dynamic one, through start-up, key creation,
# verification, /v1/me and SIGTERM, and compare with the filter's groups.
expand() {  # the system calls of a filter group, nested groups expanded
  systemd-analyze syscall-filter "$1" | awk 'NR > 1 && $1 !~ /^#/ && NF {print $1}' |
    while read -r s; do case $s in @*) expand "$s" ;; *) echo "$s" ;; esac; done
}
sc=$work/syscalls
chmod 755 "$work"  # nobody must reach the extracted binary and its own dir
mkdir -p "$sc" && chown nobody "$sc"
setpriv --reuid=nobody --regid=nogroup --clear-groups -- strace -f -qq -o "$sc/trace" \
  "$root/usr/bin/keyward" serve --data-dir "$sc/data" --listen 127.0.0.1:0 \
  2>"$sc/log" &
tracer=$!
port=
for _ in $(seq 200); do
  port=$(sed -nE 's|.*listening on https://127\.0\.0\.1:([0-9]+).*|\1|p' "$sc/log")
  # It listens before its index is loaded; "; ready" ends the load.
  [ -n "$port" ] && grep -q '; ready' "$sc/log" && break
  sleep 0.05
done
if [ -n "$port" ]; then
  admin=$(cat "$sc/data/bootstrap-admin.key")
  key=$(curl -sk "https://127.0.0.1:$port/v1/keys" -H "Authorization: Bearer $admin" \
    -d '{"name": "trace", "scopes": ["logs:read"]}' | sed -E 's/.*"key":"([^"]+)".*/\1/')
  curl -sk "https://127.0.0.1:$port/v1/verify" -d "{\"key\": \"$key\"}" >/dev/null
  curl -sk "https://127.0.0.1:$port/v1/me" -H "Authorization: Bearer $key" >/dev/null
  sleep 1.5  # the usage and last-used writers flush every second
fi
pkill -TERM -P "$tracer" -x keyward
wait "$tracer"
code=$?  # strace exits with the traced process's status
check "traced keyward served as nobody, then exited 0 on SIGTERM" \
  test -n "$port" -a "$code" = 0
sed -nE 's/^[0-9]+ +([a-z_0-9]+)\(.*/\1/p' "$sc/trace" | sort -u >"$sc/used"
# The filter as the unit states it: SystemCallFilter=LIST allows, =~LIST denies.
allow=$(sed -nE 's/^SystemCallFilter=([^~].*)/\1/p' "$unit")
deny=$(sed -nE 's/^SystemCallFilter=~(.*)/\1/p' "$unit")
for g in $allow; do case $g in @*) expand "$g" ;; *) echo "$g" ;; esac; done |
  sort -u >"$sc/allowed"
for g in $deny; do case $g in @*) expand "$g" ;; *) echo "$g" ;; esac; done |
  sort -u >"$sc/denied"
check "system calls traced: $(wc -l <"$sc/used")" test "$(wc -l <"$sc/used")" -gt 30
check "every one is allowed by SystemCallFilter=$allow" \
  bash -c "test -s '$sc/allowed' && ! comm -23 '$sc/used' '$sc/allowed' | grep ."
check "none is denied by SystemCallFilter=~$deny" \
  bash -c "test -s '$sc/denied' && ! comm -12 '$sc/used' '$sc/denied' | grep ."
exit $failed
