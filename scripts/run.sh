#!/usr/bin/env bash
# Fresh Debian 12 machine → a running keyward on https://127.0.0.1:8443 with ./data.
# The bootstrap admin key is written to ./data/bootstrap-admin.key at first start.
#   scripts/run.sh [extra `keyward serve` flags]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build
scripts/build.sh -DKEYWARD_TESTS=OFF -DKEYWARD_BENCH=OFF
exec ./build/keyward serve --data-dir ./data "$@"
