#!/usr/bin/env bash
# Side-by-side HTTPS benchmark: keyward against Debian's nginx serving a static 200
# with the same certificate, both pinned to CPU 0, wrk (-t1 -c32, keep-alive) pinned
# to CPU 1, in alternating rounds, at several store sizes (TOOLCHAIN.md: pinned A/B
# runs are the only ones that compare). Ratios within one run are the result; the
# absolute numbers move with whatever else the machine is doing.
#
#   scripts/bench-http.sh            # 3 rounds of 5 s, at 10, 10^4 and 10^6 keys
#   ROUNDS=1 SECS=3 SIZES="10 1000" scripts/bench-http.sh     # a quick look
#   PERF=1 scripts/bench-http.sh     # also perf profiles of keyward per endpoint
#
# Prints, per store size and endpoint: keyward req/s, nginx req/s, ratio, p50/p99 of
# both (medians over the rounds); then start-up time and RSS per stored key. Writes
# $OUT/summary.md, $OUT/rounds.tsv, $OUT/load.tsv (load average per round),
# $OUT/req_per_s.svg (gnuplot) and, with PERF=1, $OUT/perf-<endpoint>.txt. Needs wrk, nginx-light, gnuplot-nox (and linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-5}
SIZES=${SIZES:-"10 10000 1000000"}
CONNS=${CONNS:-32}
OUT=${OUT:-bench/results}
PERF=${PERF:-0}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
for tool in wrk nginx gnuplot curl python3; do
  command -v "$tool" >/dev/null || {
    echo "missing $tool: apt-get install -y wrk nginx-light gnuplot-nox curl" >&2
    exit 2
  }
done
bin=${KEYWARD_BIN:-build/keyward}
[ -x "$bin" ] || scripts/build.sh >/dev/null
bin=$(realpath "$bin")
mkdir -p "$OUT"
OUT=$(realpath "$OUT")

dir=$(mktemp -d)
kpid="" npid=""
cleanup() {
  [ -n "$kpid" ] && kill "$kpid" 2>/dev/null && wait "$kpid" 2>/dev/null
  [ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
kport=18943 nport=18944
data=$dir/data

# --- keyward: a data dir (self-signed certificate, bootstrap admin), and one key
# that every endpoint presents; its limit is high enough never to answer 429.
"$bin" init --data-dir "$data" >/dev/null 2>&1
seeded=1  # the bootstrap admin key
seed() {  # seed N: add N keys through `keyward keys seed` (the real store code)
  local extra=()
  [ "$seeded" = 1 ] && extra=(--out "$dir/bench.key")
  KEYWARD_LOG_LEVEL=warn "$bin" keys seed --data-dir "$data" --count "$1" --owner admin \
    --scopes logs:read --rate-limit 1000000000/1 "${extra[@]}" 2>&1 | sed 's/^/  /'
  seeded=$((seeded + $1))
}

start_keyward() {
  local t0 t1
  t0=$(date +%s.%N)
  KEYWARD_LOG_LEVEL=warn taskset -c "$SERVER_CPU" "$bin" serve --data-dir "$data" \
    --listen 127.0.0.1:$kport 2>>"$dir/keyward.log" &
  kpid=$!
  for _ in $(seq 1000); do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:$kport/readyz)" = 200 ] && break
    sleep 0.02
  done
  t1=$(date +%s.%N)
  startup=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$kpid/status)
}
stop_keyward() { kill "$kpid"; wait "$kpid" || true; kpid=""; }

# --- nginx: static 200 over HTTPS with keyward's certificate, one worker.
cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-body;
  proxy_temp_path $dir/nginx-proxy;
  fastcgi_temp_path $dir/nginx-fastcgi;
  uwsgi_temp_path $dir/nginx-uwsgi;
  scgi_temp_path $dir/nginx-scgi;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$nport ssl;
    ssl_certificate $data/tls/cert.pem;
    ssl_certificate_key $data/tls/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "ok\n"; }
  }
}
EOF
taskset -c "$SERVER_CPU" nginx -p "$dir" -c "$dir/nginx.conf" &
npid=$!
for _ in $(seq 100); do curl -sk -o /dev/null https://127.0.0.1:$nport/ && break; sleep 0.05; done

# --- wrk scripts: one per endpoint; done() prints one machine-readable line.
seed 9  # 10 keys in all; this also writes the key the load presents
key=$(cat "$dir/bench.key")
report='done = function(s, lat, req)
  local bad = s.errors.status + s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  io.write(string.format("RESULT %.1f %.1f %.1f %d %d\n", s.requests / (s.duration / 1e6),
    lat:percentile(50), lat:percentile(99), bad, s.requests))
end'
cat >"$dir/healthz.lua" <<EOF
wrk.path = "/healthz"
$report
EOF
cat >"$dir/auth.lua" <<EOF
wrk.path = "/v1/auth?scope=logs:read"
wrk.headers["Authorization"] = "Bearer $key"
$report
EOF
cat >"$dir/verify.lua" <<EOF
wrk.method = "POST"
wrk.path = "/v1/verify"
wrk.body = '{"key":"$key","scopes":["logs:read"]}'
wrk.headers["Content-Type"] = "application/json"
$report
EOF
endpoints="healthz auth verify"
declare -A label=([healthz]="GET /healthz" [auth]="GET /v1/auth" [verify]="POST /v1/verify")

# CPU time (user + system, clock ticks) of a process and its children's threads:
# keyward is one process; nginx is a master and its worker.
cpu_ticks() {
  local total=0 p
  for p in "$@" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}
tck=$(getconf CLK_TCK)

# run_wrk PORT ENDPOINT [PID] -> "req/s p50_us p99_us bad cpu_us_per_request"
# The server's CPU per request does not depend on how much CPU the machine let it
# have, so it compares even when the machine is busy (req/s does not).
run_wrk() {
  local c0=0 c1=0 out
  [ -n "${3:-}" ] && c0=$(cpu_ticks "$3")
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${SECS}s" -s "$dir/$2.lua" \
    "https://127.0.0.1:$1" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}')
  [ -n "${3:-}" ] && c1=$(cpu_ticks "$3")
  read -r rps p50 p99 bad n <<<"$out"
  echo "$rps $p50 $p99 $bad $(python3 -c "print(f'{($c1 - $c0) / $tck * 1e6 / max($n, 1):.2f}')")"
}

# Sanity: keyward must really verify the key (a 200 with "VALID"), or the numbers
# measure an error path.
check_answers() {
  curl -sk -H "Authorization: Bearer $key" "https://127.0.0.1:$kport/v1/auth?scope=logs:read" |
    grep -q '"VALID"' || { echo "keyward did not accept the bench key" >&2; exit 1; }
  curl -sk -d "{\"key\":\"$key\",\"scopes\":[\"logs:read\"]}" https://127.0.0.1:$kport/v1/verify |
    grep -q '"valid":true' || { echo "/v1/verify did not accept the bench key" >&2; exit 1; }
}

printf 'size\tendpoint\tround\tserver\treq_s\tp50_us\tp99_us\tbad\tcpu_us\n' >"$OUT/rounds.tsv"
: >"$OUT/startup.tsv"
printf 'size\tround\tload_1_5_15\n' >"$OUT/load.tsv"
for size in $SIZES; do
  [ "$size" -gt "$seeded" ] && seed $((size - seeded))
  start_keyward
  check_answers
  printf '%s\t%s\t%s\n' "$size" "$startup" "$rss_kb" >>"$OUT/startup.tsv"
  echo "== $size keys: keyward ready in ${startup} s, RSS ${rss_kb} kB"
  # Warm both (TLS sessions, caches, the allocator) before the first round counts.
  SECS=1 run_wrk $kport auth >/dev/null
  SECS=1 run_wrk $nport auth >/dev/null
  for round in $(seq "$ROUNDS"); do
    # The machine may be shared: the load average goes with every round's figures.
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    printf '%s\t%s\t%s\n' "$size" "$round" "$load" >>"$OUT/load.tsv"
    echo "  round $round: load average $load"
    for ep in $endpoints; do
      order="keyward nginx"
      [ $((round % 2)) = 0 ] && order="nginx keyward"
      for server in $order; do
        port=$kport pid=$kpid
        [ "$server" = nginx ] && port=$nport pid=$npid
        read -r rps p50 p99 bad cpu < <(run_wrk $port "$ep" "$pid")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$ep" "$round" "$server" \
          "$rps" "$p50" "$p99" "$bad" "$cpu" >>"$OUT/rounds.tsv"
        printf '  round %s %-16s %-7s %9s req/s  p50 %6s us  p99 %6s us  CPU %6s us/req  non-2xx/errors %s\n' \
          "$round" "${label[$ep]}" "$server" "$rps" "$p50" "$p99" "$cpu" "$bad"
      done
    done
  done
  if [ "$PERF" = 1 ] && command -v perf >/dev/null; then
    for ep in auth verify healthz; do
      taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"$((SECS + 2))s" -s "$dir/$ep.lua" \
        "https://127.0.0.1:$kport" >/dev/null &
      wpid=$!
      sleep 1
      taskset -c "$LOAD_CPU" perf record -q -F 2000 -g -p "$kpid" -o "$dir/perf.data" \
        -- sleep "$SECS" >/dev/null 2>&1
      wait "$wpid"
      { perf report -i "$dir/perf.data" --no-children --sort dso,symbol --stdio -g none \
          2>/dev/null | grep -E '^ +[0-9.]+%' | sed -E 's/[ -]+$//' | head -30 || true; } \
        >"$OUT/perf-$ep-$size.txt"
      { echo "-- by shared object:"; perf report -i "$dir/perf.data" --no-children \
          --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' |
          sed -E 's/[ -]+$//' | head -8 || true; } >>"$OUT/perf-$ep-$size.txt"
      echo "  perf profile of $ep: $OUT/perf-$ep-$size.txt"
    done
    PERF=0  # once, at the first size, is enough
  fi
  stop_keyward
done

python3 "$root/bench/http/summarize.py" "$OUT"
if command -v gnuplot >/dev/null; then
  gnuplot -e "outdir='$OUT'" "$root/bench/http/plot.gp" && echo "plot: $OUT/req_per_s.svg"
fi
