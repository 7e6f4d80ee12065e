#!/usr/bin/env bash
# One replica on SQLite against one on PostgreSQL, side by side (issue 11, item 8):
# POST /v1/verify throughput (the hot path never touches the store, so the two
# should match) and admin write throughput (POST /v1/keys, a store transaction
# each). keyward pinned to CPU 0, wrk (-t1) on CPU 1, alternating which store goes
# first in each round. PostgreSQL is a private one (initdb in a temp dir, loopback,
# as the tests run it; fsync stays on, synchronous_commit on: a real commit).
#
#   scripts/bench-store.sh                 # 3 rounds of 5 s per case
#   ROUNDS=1 SECS=3 scripts/bench-store.sh
#
# Prints one line per round and case, then the medians as a Markdown table (also in
# $OUT/store-summary.md). Needs wrk, curl, postgresql (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-5}
VERIFY_CONNS=${VERIFY_CONNS:-32}
WRITE_CONNS=${WRITE_CONNS:-8}
OUT=${OUT:-bench/results}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/postgres" ] || { echo "missing postgresql (scripts/install-deps.sh)" >&2; exit 2; }
bin=${KEYWARD_BIN:-build/keyward}
[ -x "$bin" ] || scripts/build.sh >/dev/null
bin=$(realpath "$bin")
mkdir -p "$OUT"
OUT=$(realpath "$OUT")

dir=$(mktemp -d)
chmod 755 "$dir"
kpid="" pgpid=""
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  [ -n "$kpid" ] && kill "$kpid" 2>/dev/null && wait "$kpid" 2>/dev/null
  [ -n "$pgpid" ] && kill -INT "$pgpid" 2>/dev/null && wait "$pgpid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
kport=18953 pgport=18954

# --- PostgreSQL
mkdir "$dir/pg"
[ "$(id -u)" = 0 ] && chown postgres "$dir/pg"
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/pg/data" -A trust -U keyward -E UTF8 --locale=C \
  >"$dir/initdb.log" 2>&1
"${as_pg[@]}" "$pgbin/postgres" -D "$dir/pg/data" -p $pgport -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$dir/pg" >"$dir/pg.log" 2>&1 &
pgpid=$!
for _ in $(seq 200); do
  "$pgbin/pg_isready" -q -h 127.0.0.1 -p $pgport && break
  sleep 0.05
done
pgurl="postgresql://keyward@127.0.0.1:$pgport/postgres"

# Admin tier without a practical limit: the write load must measure the store, not
# the admin key's 6000/min.
cat >"$dir/keyward.json" <<'JSON'
{"tiers": {"admin": {"limit": 1000000000, "window_seconds": 1}}}
JSON

declare -A url=([sqlite]="" [postgres]="$pgurl")
start_keyward() {  # start_keyward STORE
  local data=$dir/data-$1
  KEYWARD_STORE_URL=${url[$1]} KEYWARD_LOG_LEVEL=warn taskset -c "$SERVER_CPU" \
    "$bin" serve --config "$dir/keyward.json" --data-dir "$data" \
    --listen 127.0.0.1:$kport 2>>"$dir/keyward-$1.log" &
  kpid=$!
  for _ in $(seq 1000); do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:$kport/readyz)" = 200 ] && return 0
    kill -0 "$kpid" 2>/dev/null || break
    sleep 0.02
  done
  echo "keyward on $1 did not come up:" >&2
  cat "$dir/keyward-$1.log" >&2
  exit 1
}
stop_keyward() { kill "$kpid"; wait "$kpid" || true; kpid=""; }

report='done = function(s, lat, req)
  local bad = s.errors.status + s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format("RESULT %.1f %.1f %.1f %d\n", s.requests / (s.duration / 1e6),
    lat:percentile(50), lat:percentile(99), bad))
end'
declare -A admin verify_key
for store in sqlite postgres; do
  start_keyward $store
  admin[$store]=$(cat "$dir/data-$store/bootstrap-admin.key")
  verify_key[$store]=$(curl -sk -X POST https://127.0.0.1:$kport/v1/keys \
    -H "Authorization: Bearer ${admin[$store]}" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["logs:read"],"rate_limit":{"limit":1000000000,"window_seconds":1}}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
  stop_keyward
  printf '%s\n' 'wrk.method = "POST"' 'wrk.path = "/v1/verify"' \
    "wrk.body = '{\"key\":\"${verify_key[$store]}\",\"scopes\":[\"logs:read\"]}'" \
    'wrk.headers["Content-Type"] = "application/json"' "$report" >"$dir/verify-$store.lua"
  printf '%s\n' 'wrk.method = "POST"' 'wrk.path = "/v1/keys"' \
    "wrk.body = '{\"name\":\"bench-write\",\"scopes\":[\"logs:read\"]}'" \
    'wrk.headers["Content-Type"] = "application/json"' \
    "wrk.headers[\"Authorization\"] = \"Bearer ${admin[$store]}\"" "$report" \
    >"$dir/write-$store.lua"
done

run_wrk() {  # run_wrk CASE STORE CONNS -> "req/s p50_us p99_us bad"
  taskset -c "$LOAD_CPU" wrk -t1 -c"$3" -d"${SECS}s" -s "$dir/$1-$2.lua" \
    "https://127.0.0.1:$kport" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}

echo "load before: $(uptime)"
: >"$dir/rounds.tsv"
for round in $(seq "$ROUNDS"); do
  order="sqlite postgres"
  [ $((round % 2)) = 0 ] && order="postgres sqlite"
  for store in $order; do
    start_keyward $store
    for case in verify write; do
      conns=$VERIFY_CONNS
      [ $case = write ] && conns=$WRITE_CONNS
      read -r rps p50 p99 bad < <(run_wrk $case $store $conns)
      printf 'round %s %-8s %-6s %10s req/s  p50 %7s us  p99 %8s us  errors %s\n' \
        "$round" "$store" "$case" "$rps" "$p50" "$p99" "$bad"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$store" "$case" "$rps" "$p50" "$p99" "$bad" \
        >>"$dir/rounds.tsv"
    done
    stop_keyward
  done
done
echo "load after: $(uptime)"

python3 - "$dir/rounds.tsv" "$OUT/store-summary.md" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
out = ["| store | endpoint | req/s (median) | p50 / p99 ms | errors |",
       "|---|---|---:|---|---:|"]
for case, label in (("verify", "POST /v1/verify"), ("write", "POST /v1/keys")):
    for store in ("sqlite", "postgres"):
        r = [x for x in rows if x[0] == store and x[1] == case]
        if not r:
            continue
        med = lambda i: statistics.median(float(x[i]) for x in r)
        out.append(f"| {store} | {label} | {med(2):,.0f} | {med(3)/1000:.2f} / "
                   f"{med(4)/1000:.2f} | {sum(int(x[5]) for x in r)} |")
text = "\n".join(out)
print(text)
open(sys.argv[2], "w").write(text + "\n")
PY
