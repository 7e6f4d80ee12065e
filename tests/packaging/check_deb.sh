#!/usr/bin/env bash
# Builds the Debian package with cpack and checks it: name, control fields,
# contents, maintainer scripts, and the systemd unit with `systemd-analyze verify`
# (must print nothing) and `systemd-analyze security` (exposure must stay low).
# Needs dpkg-deb and systemd-analyze (scripts/install-deps.sh installs both); no
# running systemd is needed.
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
for lib in libc6 libssl3 libsodium23 libsqlite3-0 libspdlog1.10 libfmt9 libstdc++6; do
  check "Depends names $lib" grep -qE "(^|, )$lib( |,|$)" <(field Depends)
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
check "the packaged binary is stripped" \
  bash -c "! file '$root/usr/bin/keyward' 2>/dev/null | grep -q 'not stripped'"
check "the example config passes keyward config check" \
  "$root/usr/bin/keyward" config check "$root/usr/share/doc/keyward/keyward.example.json"

unit=$root/usr/lib/systemd/system/keyward.service
for directive in DynamicUser=yes StateDirectory=keyward ProtectSystem=strict \
  NoNewPrivileges=yes ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet= \
  'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service \
  'ExecStart=/usr/bin/keyward serve --data-dir /var/lib/keyward'; do
  check "unit has $directive" grep -qxF "$directive" "$unit"
done
# verify resolves ExecStart= inside --root, so the packaged binary is checked too.
check "systemd-analyze verify: clean" bash -c \
  "out=\$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root='$root' '$unit' 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
# Exposure 0 (locked down) .. 10 (unprotected); a plain unit scores 9.6.
check "systemd-analyze security: exposure below 2.0" bash -c \
  "systemd-analyze security --offline=true --root='$root' --threshold=20 '$unit' | tail -1 | tee /dev/stderr | grep -q 'Overall exposure level'"
exit $failed
