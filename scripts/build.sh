#!/usr/bin/env bash
# Configures and builds keyward into $BUILD_DIR (default: build), Release by default.
#   scripts/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
# ccache keys on paths: relative to the checkout, so a fresh clone elsewhere (as CI
# makes) still hits what an earlier build cached.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
BUILD_TYPE=${BUILD_TYPE:-Release}
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
