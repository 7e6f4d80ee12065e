#!/usr/bin/env bash
# Installs keyward's Debian 12 build and test dependencies. Used by the README, by
# .ci/run and by the Dockerfile, so all three build from the same package set.
#   scripts/install-deps.sh          build + test packages
#   scripts/install-deps.sh --build  only what a release build needs (Docker build stage)
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev libssl-dev libsodium-dev libsqlite3-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev
)
# nginx-light: tests/integration/nginx_gateway_test.cc runs docs/gateways/nginx.conf.
# clang-14 + libclang-rt-14-dev: scripts/fuzz.sh (libFuzzer and the sanitizer runtimes
# are in libclang-rt-14-dev, only a Recommends of clang-14, so name it).
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev curl openssl sqlite3 python3
  nginx-light clang-14 libclang-rt-14-dev)

pkgs=("${build_pkgs[@]}")
[ "${1:-}" = "--build" ] || pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
