#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang-14, ASan+UBSan) into build-fuzz and
# runs each for its share of SECONDS, on a temporary copy of its seed corpus so runs
# never write into the repository.
#   scripts/fuzz.sh SECONDS [TARGET...]     e.g. scripts/fuzz.sh 30, scripts/fuzz.sh 600 cidr
# Prints executions and exec/s per target; exits 1 on any crash, leak, timeout or
# failed property, naming the file that reproduces it (kept under
# build-fuzz/crashes/<target>/; replay with build-fuzz/tests/fuzz/<target>_fuzz FILE).
# FUZZ_JOBS: parallel compile jobs (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
all=(key_format credentials cidr uri_normalizer json_body config log_format scope key_fields
     verify_body)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")

# Longest input worth trying per target: a little past each parser's own limit
# (e.g. kMaxUriLength = 4096), so the limit itself is exercised.
declare -A max_len=([key_format]=128 [credentials]=1024 [cidr]=512
                    [uri_normalizer]=4200 [json_body]=8192 [config]=4096
                    [log_format]=1024 [scope]=512 [key_fields]=4096
                    [verify_body]=8300)

build=build-fuzz
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
# -O1 without NDEBUG: fast enough to fuzz, and library assertions stay on.
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DKEYWARD_FUZZ=ON -DKEYWARD_TESTS=OFF -DKEYWARD_BENCH=OFF >/dev/null
cmake --build "$build" --target keyward_fuzz -j"${FUZZ_JOBS:-$(nproc)}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
per=$((total / ${#targets[@]}))
[ "$per" -ge 1 ] || per=1
failed=0
summary=()
grand=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/${t}_fuzz"
  [ -x "$bin" ] || { echo "fuzz: no target '$t' (have: ${all[*]})" >&2; exit 2; }
  mkdir -p "$work/$t" "$build/crashes/$t"
  cp -r "tests/fuzz/corpus/$t/." "$work/$t/"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  log="$work/$t.log"
  rc=0
  "$bin" "$work/$t" "${dict[@]}" -max_total_time="$per" -max_len="${max_len[$t]}" \
    -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t/" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  grand=$((grand + ${execs:-0}))
  line=$(printf '%-15s %12s execs %8s exec/s' "$t" "${execs:-?}" "${speed:-?}")
  if [ "$rc" -ne 0 ]; then
    failed=1
    echo "== fuzz $t FAILED (exit $rc):"
    grep -v -e '^#' -e '^INFO:' -e '^stat::' -e 'NEW_FUNC' "$log" | tail -60
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    line+="  CRASH ${artifact:-(see log above)}"
  fi
  echo "$line"
  summary+=("$line")
done
echo "== fuzz summary ($per s per target)"
printf '%s\n' "${summary[@]}"
echo "total executions: $grand"
exit "$failed"
