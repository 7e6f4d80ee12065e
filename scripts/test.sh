#!/usr/bin/env bash
# Fresh Debian 12 machine → every test, green or not.
#   1. installs build and test dependencies (scripts/install-deps.sh)
#   2. Release build + ctest: unit tests (core, store, api, http) and integration
#      tests that start the real keyward binary with real TLS on free ports
#   3. a bounded libFuzzer pass over every parser, ~30 s (scripts/fuzz.sh; skip with
#      KEYWARD_SKIP_FUZZ=1, length KEYWARD_FUZZ_SECONDS)
#   4. ASan+UBSan build of the same tests (skip with KEYWARD_SKIP_SANITIZE=1)
#   5. ThreadSanitizer build of the concurrency tests (scripts/tsan.sh; skip with
#      KEYWARD_SKIP_TSAN=1)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
echo "== release build"
BUILD_DIR=build scripts/build.sh -DKEYWARD_TESTS=ON
echo "== release tests"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${KEYWARD_SKIP_FUZZ:-0}" != "1" ]; then
  echo "== fuzz (bounded)"
  scripts/fuzz.sh "${KEYWARD_FUZZ_SECONDS:-30}"
fi

if [ "${KEYWARD_SKIP_SANITIZE:-0}" != "1" ]; then
  echo "== ASan+UBSan build"
  BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DKEYWARD_TESTS=ON \
    -DKEYWARD_BENCH=OFF -DKEYWARD_SANITIZE=ON
  echo "== ASan+UBSan tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi

if [ "${KEYWARD_SKIP_TSAN:-0}" != "1" ]; then
  echo "== ThreadSanitizer build and tests"
  scripts/tsan.sh
fi
