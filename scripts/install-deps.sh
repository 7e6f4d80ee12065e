#!/usr/bin/env bash
# Installs keyward's Debian 12 build and test dependencies. Used by the README, by
# .ci/run and by the Dockerfile, so all three build from the same package set.
#   scripts/install-deps.sh              build + test packages, and the npm tools
#                                        pinned in tools/package-lock.json
#   scripts/install-deps.sh --build      only what a release build needs (Docker
#                                        build stage)
#   scripts/install-deps.sh --container  podman, runc, debootstrap, curl for
#                                        scripts/test-container.sh
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev libssl-dev libsodium-dev libsqlite3-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libpq-dev libhiredis-dev
)
# nginx-light, caddy: tests/integration/*_gateway_test.cc run docs/gateways/.
# python3-yaml, python3-jsonschema: tests/docs/*.py read docs/openapi.yaml and the
# gateway configs, and check real answers against the spec.
# systemd: `systemd-analyze verify` of the packaged unit (no running systemd needed);
# dpkg-dev: cpack's dpkg-shlibdeps; strace: the unit's system-call filter check.
# chromium: the web console's browser test (tests/console/, driven by playwright-core
# from tools/; no browser is downloaded from anywhere else).
# clang-14 + libclang-rt-14-dev: scripts/fuzz.sh (libFuzzer and the sanitizer runtimes
# are in libclang-rt-14-dev, only a Recommends of clang-14, so name it).
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev curl openssl sqlite3 python3
  python3-yaml python3-jsonschema nginx-light caddy systemd dpkg-dev strace
  clang-14 libclang-rt-14-dev chromium postgresql redis-server)
container_pkgs=(podman runc debootstrap curl python3 python3-yaml)

mode=${1:-}
case "$mode" in
  "") pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  --build) pkgs=("${build_pkgs[@]}") ;;
  --container) pkgs=("${container_pkgs[@]}") ;;
  *) echo "usage: $0 [--build | --container]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # caddy and nginx would start as services where systemd runs: tests start their
  # own, so keep the packaged ones from starting (and from taking ports 80/443).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  echo "install-deps: installed ${missing[*]}"
fi

# npm tools (the OpenAPI linter, playwright-core): `npm ci` from the lockfile, again only when the
# lockfile changed since the last install.
if [ -z "$mode" ]; then
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);
                process.exit(a>=22 || (a===20 && b>=19) ? 0 : 1)' 2>/dev/null; then
    echo "install-deps: Node.js >= 20.19 with npm is needed for tools/ (@redocly/cli)" >&2
    exit 1
  fi
  stamp=tools/node_modules/.keyward-lock.sha256
  want=$(sha256sum tools/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    (cd tools && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
    echo "install-deps: npm ci in tools/"
  fi
fi
