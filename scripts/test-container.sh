#!/usr/bin/env bash
# Builds the Dockerfile with podman and proves the image works as docs/docker.md
# says: healthy by its own HEALTHCHECK, bootstrap key readable with `exec cat`, keys
# created and verified from the host, kept across a restart on the named volume,
# served by a non-root process. One PASS/FAIL line per step; exits 1 at the first
# failure, after cleaning up.
#
# No container registry is reachable here, so the base images debian:12 and
# debian:12-slim are imported from a local `debootstrap --variant=minbase bookworm`
# root, cached in $KEYWARD_CONTAINER_CACHE (default /var/cache/keyward-container)
# and imported only when podman lacks them. The VM has cgroup v1 and no
# CAP_SYS_RESOURCE: runc, host networking and explicit ulimits are what work
# (../shared/design/TOOLCHAIN.md). `--format docker` keeps the HEALTHCHECK, which
# podman's default OCI format drops.
#   scripts/test-container.sh            (as root; installs podman etc. if missing)
#   KEYWARD_KEEP_IMAGE=1 scripts/test-container.sh   keep localhost/keyward:test
set -uo pipefail
# All in one function: bash reads a script as it runs it, so an edit during a run
# (this one takes minutes) must not change what the run does.
main() {
cd "$(dirname "$0")/.."

cache=${KEYWARD_CONTAINER_CACHE:-/var/cache/keyward-container}
image=localhost/keyward:test
name=keyward-test-$$
volume=keyward-test-data-$$
podman=(podman --runtime runc)
limits=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)
work=$(mktemp -d)
t0=$(date +%s)

passed=0
pass() {
  echo "PASS: $1"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL: $1" >&2
  [ -n "${2:-}" ] && sed 's/^/  | /' "$2" >&2
  echo "test-container: $passed passed, 1 failed"
  exit 1
}
cleanup() {
  "${podman[@]}" rm -f -t 5 "$name" >/dev/null 2>&1
  "${podman[@]}" volume rm -f "$volume" >/dev/null 2>&1
  [ "${KEYWARD_KEEP_IMAGE:-0}" = 1 ] || "${podman[@]}" rmi -f "$image" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# -- tools --------------------------------------------------------------------
if ! command -v podman >/dev/null || ! command -v runc >/dev/null ||
  ! command -v debootstrap >/dev/null || ! command -v curl >/dev/null; then
  scripts/install-deps.sh --container >"$work/deps.log" 2>&1 ||
    fail "install podman, runc, debootstrap" "$work/deps.log"
fi
pass "podman $(podman --version | awk '{print $3}'), runc, debootstrap present"

# -- base images --------------------------------------------------------------
if podman image exists docker.io/library/debian:12 &&
  podman image exists docker.io/library/debian:12-slim; then
  pass "base images debian:12, debian:12-slim already present"
else
  tarball=$cache/bookworm-minbase.tar
  if [ ! -s "$tarball" ]; then
    mkdir -p "$cache"
    rm -rf "$cache/root"
    s=$(date +%s)
    debootstrap --variant=minbase bookworm "$cache/root" http://deb.debian.org/debian \
      >"$work/debootstrap.log" 2>&1 || fail "debootstrap bookworm" "$work/debootstrap.log"
    # As in Debian's own images: updates and security, so apt-get in a build gets
    # the fixed packages.
    rm -f "$cache/root/etc/apt/sources.list"
    cat >"$cache/root/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "$cache/root/var/cache/apt/archives/"*.deb "$cache/root/var/lib/apt/lists/"*
    tar -C "$cache/root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball" &&
      rm -rf "$cache/root" || fail "pack the bookworm root"
    pass "debootstrap bookworm minbase ($(($(date +%s) - s)) s, cached in $cache)"
  fi
  for tag in 12 12-slim; do
    podman import --change 'CMD ["bash"]' "$tarball" "docker.io/library/debian:$tag" \
      >"$work/import.log" 2>&1 || fail "import debian:$tag" "$work/import.log"
  done
  pass "base images debian:12, debian:12-slim imported from $tarball"
fi

# -- build --------------------------------------------------------------------
s=$(date +%s)
if "${podman[@]}" build --pull=never --format docker --layers=false --network=host \
  "${limits[@]}" -t "$image" . >"$work/build.log" 2>&1; then
  pass "image built in $(($(date +%s) - s)) s"
else
  fail "podman build" <(tail -40 "$work/build.log")
fi

# -- image metadata -----------------------------------------------------------
inspect() { podman image inspect --format "$1" "$image"; }
health=$(inspect '{{json .Config.Healthcheck.Test}}')
[ "$health" = '["CMD","keyward","health"]' ] ||
  fail "HEALTHCHECK is CMD [\"keyward\",\"health\"] (got $health)"
pass "HEALTHCHECK $health"
user=$(inspect '{{.Config.User}}')
case "$user" in "" | 0 | root | 0:*) fail "image USER is non-root (got '$user')" ;; esac
[ "$(inspect '{{json .Config.Volumes}}')" = '{"/data":{}}' ] || fail "VOLUME /data"
[ "$(inspect '{{json .Config.ExposedPorts}}')" = '{"8443/tcp":{}}' ] ||
  fail "EXPOSE 8443"
pass "USER $user, VOLUME /data, EXPOSE 8443"
if "${podman[@]}" run --rm --network=host "${limits[@]}" --entrypoint sh "$image" \
  -c 'command -v curl || command -v wget' >/dev/null 2>&1; then
  fail "runtime image has no curl or wget"
fi
pass "runtime image has no curl or wget"

# -- run ----------------------------------------------------------------------
# Host networking is the one mode that works here, so the container listens on a
# free loopback port; `keyward health` follows KEYWARD_LISTEN.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=https://127.0.0.1:$port
# compose.yaml's hardening, checked to be there and then used here.
python3 - >"$work/compose.log" 2>&1 <<'EOF' || fail "compose.yaml" "$work/compose.log"
import yaml
svc = yaml.safe_load(open("compose.yaml"))["services"]["keyward"]
assert svc["ports"] == ["8443:8443"], svc["ports"]
assert "keyward-data:/data" in svc["volumes"], svc["volumes"]
assert svc["read_only"] is True and svc["tmpfs"] == ["/tmp"]
assert svc["cap_drop"] == ["ALL"]
assert svc["security_opt"] == ["no-new-privileges:true"]
EOF
pass "compose.yaml: port 8443, volume on /data, read-only, no capabilities"
"${podman[@]}" volume create "$volume" >/dev/null || fail "volume create"
"${podman[@]}" run -d --name "$name" --network=host "${limits[@]}" \
  --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
  -v "$volume:/data" -e "KEYWARD_LISTEN=127.0.0.1:$port" -e KEYWARD_LOG_FORMAT=json \
  "$image" >"$work/run.log" 2>&1 || fail "podman run" "$work/run.log"
pass "container $name started on $base (read-only, cap-drop ALL) with volume $volume"

# Podman runs the HEALTHCHECK from systemd timers, and there is no systemd here:
# `podman healthcheck run` runs the image's own check and records the result.
wait_healthy() {
  local i
  for i in $(seq 60); do
    if podman healthcheck run "$name" >/dev/null 2>&1; then
      local status
      status=$(podman inspect --format '{{.State.Health.Status}}' "$name" 2>/dev/null)
      [ "$status" = healthy ] && return 0
    fi
    sleep 0.5
  done
  return 1
}
s=$(date +%s)
wait_healthy || { podman logs "$name" >"$work/logs" 2>&1; fail "healthy" "$work/logs"; }
pass "healthy after $(($(date +%s) - s)) s (podman healthcheck run: keyward health)"

admin=$(podman exec "$name" cat /data/bootstrap-admin.key)
[[ "$admin" =~ ^kw_[0-9A-Za-z]{49}$ ]] || fail "bootstrap key read with exec cat"
pass "bootstrap key read with podman exec cat /data/bootstrap-admin.key"
if podman logs "$name" 2>&1 | grep -qF "$admin"; then
  fail "bootstrap key never appears in the container log"
fi
pass "bootstrap key not in the container log"

# JSON member of a response body, via python3 (no jq on a fresh Debian).
member() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
call() { curl -sk --max-time 10 "$@"; }
created=$(call "$base/v1/keys" -H "Authorization: Bearer $admin" \
  -d '{"name": "container test", "scopes": ["logs:read"]}') || fail "POST /v1/keys"
key=$(member key <<<"$created") || fail "POST /v1/keys answered a key"
key_id=$(member id <<<"$created")
pass "created key $key_id from the host"
verify() {
  call "$base/v1/verify" -d "{\"key\": \"$key\", \"scopes\": [\"logs:read\"]}" |
    member valid
}
[ "$(verify)" = True ] || fail "the new key verifies"
pass "the new key verifies against the container"
[ "$(call "$base/v1/me" -H "Authorization: Bearer $key" | python3 -c \
  'import json,sys; print(json.load(sys.stdin)["key"]["id"])')" = "$key_id" ] ||
  fail "GET /v1/me with the new key"
pass "GET /v1/me with the new key"
podman exec "$name" keyward keys list >"$work/list" 2>&1 && grep -q "$key_id" "$work/list" ||
  fail "keyward keys list inside the container, beside the server" "$work/list"
pass "keyward keys list works inside the container beside the server"

pid=$(podman inspect --format '{{.State.Pid}}' "$name")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ -n "$uid" ] && [ "$uid" != 0 ] || fail "keyward runs as a non-root uid (got '$uid')"
pass "keyward (pid $pid on the host) runs as uid $uid"

s=$(date +%s)
"${podman[@]}" restart -t 10 "$name" >/dev/null 2>&1 || fail "podman restart"
wait_healthy || { podman logs "$name" >"$work/logs" 2>&1; fail "healthy again" "$work/logs"; }
pass "restarted and healthy again in $(($(date +%s) - s)) s"
[ "$(verify)" = True ] || fail "the key still verifies after the restart"
[ "$(podman exec "$name" cat /data/bootstrap-admin.key)" = "$admin" ] ||
  fail "the bootstrap key file is unchanged after the restart"
pass "key survived the restart; bootstrap key unchanged"

call -X DELETE "$base/v1/keys/$key_id" -H "Authorization: Bearer $admin" -o /dev/null
[ "$(verify)" = False ] || fail "a revoked key no longer verifies"
pass "revoked key no longer verifies"

echo "test-container: all steps passed in $(($(date +%s) - t0)) s"
# The closing line CI counts.
echo "test-container: $passed passed, 0 failed"
}

main "$@"
