#!/usr/bin/env bash
# Load test of a running keyward with wrk (loopback only), pinned as TOOLCHAIN.md
# advises: server on CPU 0, load generator on CPU 1. Needs `apt-get install wrk`.
#   scripts/bench-http.sh [seconds]   (builds first; uses a throwaway data dir)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 2; }
bin=build/keyward
[ -x "$bin" ] || scripts/build.sh >/dev/null
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
KEYWARD_LOG_LEVEL=warn taskset -c 0 "$bin" serve --data-dir "$dir/data" \
  --listen 127.0.0.1:18943 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do [ -f "$dir/data/bootstrap-admin.key" ] && curl -sk https://127.0.0.1:18943/healthz >/dev/null && break; sleep 0.1; done
admin=$(cat "$dir/data/bootstrap-admin.key")
# A key with a tier high enough that the limiter never answers 429 during the run.
key=$(curl -sk https://127.0.0.1:18943/v1/keys -H "Authorization: Bearer $admin" \
  -d '{"name":"bench","scopes":["logs:read"],"rate_limit":{"limit":1000000000,"window_seconds":1}}' | sed -E 's/.*"key":"([^"]+)".*/\1/')
cat > "$dir/verify.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"key":"$key","scopes":["logs:read"]}'
wrk.headers["Content-Type"] = "application/json"
LUA
echo "== /healthz (transport + routing only)"
taskset -c 1 wrk -t1 -c32 -d"${secs}s" https://127.0.0.1:18943/healthz
echo "== POST /v1/verify (present key, one scope)"
taskset -c 1 wrk -t1 -c32 -d"${secs}s" -s "$dir/verify.lua" https://127.0.0.1:18943/v1/verify
