#!/usr/bin/env bash
# ThreadSanitizer pass: builds the concurrency-relevant test binaries (core: index,
# GCRA rate limits, quotas, throttle, key runtime table, workers; usage: usage, audit
# and quota writers; http: the server; store: the change feed; limits: the Redis
# connection pool and circuit, against the fixtures' redis-server) with
# -fsanitize=thread into build-tsan and runs them. Any race report fails the run.
#   scripts/tsan.sh
# TSAN_JOBS: parallel compile jobs (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-tsan
# pg_fixture and redis_fixture start the private PostgreSQL and Redis the store, usage
# and limits suites run against (ctest fixtures): without them those are "Not Run".
targets=(core_tests usage_tests http_tests store_tests limits_tests pg_fixture redis_fixture)
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

# TSan's runtime needs a fixed shadow-memory layout. Kernels with a high
# vm.mmap_rnd_bits (Debian 12's gcc-12 runtime predates the fix) abort at start with
# "unexpected memory mapping"; running without address randomisation avoids that.
wrap=()
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int main() { return 0; }\n' >"$probe/p.cc"
g++ -fsanitize=thread "$probe/p.cc" -o "$probe/p"
if ! "$probe/p" 2>"$probe/err"; then
  if grep -q "unexpected memory mapping" "$probe/err"; then
    wrap=(setarch "$(uname -m)" -R)
    "${wrap[@]}" "$probe/p" || { echo "tsan: fails even without ASLR" >&2; exit 1; }
    echo "tsan: running without ASLR (vm.mmap_rnd_bits=$(sysctl -n vm.mmap_rnd_bits))"
  else
    cat "$probe/err" >&2
    exit 1
  fi
fi

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
# -O1 -g: TSan's recommended setting; asserts stay on.
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DKEYWARD_TSAN=ON -DKEYWARD_TESTS=ON \
  -DKEYWARD_BENCH=OFF >/dev/null
# The build runs each test binary to list its tests, so it needs the wrapper too.
"${wrap[@]}" cmake --build "$build" --target "${targets[@]}" -j"${TSAN_JOBS:-$(nproc)}"

export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
# Only the binaries above are built; ctest lists the others as *_NOT_BUILT. The
# four-century date round trip is single-threaded and the slowest test under TSan.
"${wrap[@]}" ctest --test-dir "$build" --output-on-failure -j"$(nproc)" \
  -E '_NOT_BUILT|FormatRfc3339Test\.RoundTripsEveryDayOverFourCenturies' \
  ${TSAN_CTEST_ARGS:-}
