#!/usr/bin/env bash
# A/B of the server's own CPU time per request: each binary given is started in
# turn on one data dir (10 keys), pinned to CPU 0, and driven by wrk (-t1 -c32,
# keep-alive HTTPS) on CPU 1; the process's user+system time over the run divided
# by wrk's request count is the figure. Unlike req/s it barely moves when the
# machine is busy, so two builds compare even while something else runs.
#
#   scripts/bench-cpu.sh build/keyward /tmp/keyward-before     # REPS=2 SECS=4 default
#   ENDPOINTS="auth" REPS=3 scripts/bench-cpu.sh a b
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 KEYWARD_BIN [KEYWARD_BIN...]" >&2; exit 2; }
REPS=${REPS:-2}
SECS=${SECS:-4}
ENDPOINTS=${ENDPOINTS:-"healthz auth verify"}
PORT=${PORT:-18977}
for tool in wrk curl python3 taskset; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
dir=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
first=$(realpath "$1")
"$first" init --data-dir "$dir/data" >/dev/null 2>&1
KEYWARD_LOG_LEVEL=warn "$first" keys seed --data-dir "$dir/data" --count 9 --owner admin \
  --scopes logs:read --rate-limit 1000000000/1 --out "$dir/key" >/dev/null 2>&1
key=$(cat "$dir/key")
printf 'wrk.path="/healthz"\n' >"$dir/healthz.lua"
printf 'wrk.path="/v1/auth?scope=logs:read"\nwrk.headers["Authorization"]="Bearer %s"\n' \
  "$key" >"$dir/auth.lua"
printf '%s\n' 'wrk.method="POST"' 'wrk.path="/v1/verify"' \
  "wrk.body=[[{\"key\":\"$key\",\"scopes\":[\"logs:read\"]}]]" \
  'wrk.headers["Content-Type"]="application/json"' >"$dir/verify.lua"
tck=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
for _ in $(seq "$REPS"); do
  for bin in "$@"; do
    KEYWARD_LOG_LEVEL=warn taskset -c 0 "$bin" serve --data-dir "$dir/data" \
      --listen "127.0.0.1:$PORT" 2>/dev/null &
    pid=$!
    for _ in $(seq 200); do
      curl -sk -o /dev/null -f "https://127.0.0.1:$PORT/readyz" && break
      sleep 0.05
    done
    line="$bin"
    for ep in $ENDPOINTS; do
      taskset -c 1 wrk -t1 -c32 -d1s -s "$dir/$ep.lua" "https://127.0.0.1:$PORT" >/dev/null
      c0=$(cpu "$pid")
      out=$(taskset -c 1 wrk -t1 -c32 -d"${SECS}s" -s "$dir/$ep.lua" "https://127.0.0.1:$PORT")
      c1=$(cpu "$pid")
      n=$(echo "$out" | awk '/requests in/ {print $1}')
      bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
      line+=$(python3 -c "print(f'  $ep: {($c1-$c0)/$tck*1e6/$n:.1f} us/req ({$n/$SECS:.0f} r/s)' + (' NON-2XX $bad' if '$bad' else ''))")
    done
    echo "$line  load $(cut -d' ' -f1 /proc/loadavg)"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
  done
done
