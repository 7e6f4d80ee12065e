#!/usr/bin/env bash
# Checks deploy/compose/: nginx.conf passes `nginx -t` with the real nginx (the
# replicas' names become 127.0.0.1 and the certificate a fresh self-signed one,
# since nginx resolves upstreams and reads the files while testing), and
# compose.yaml is valid YAML naming the services docs/scale-out.md describes.
#   check_compose_gateway.sh SOURCE_DIR
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test \
  -keyout "$tmp/tls/key.pem" -out "$tmp/tls/cert.pem" 2>/dev/null
sed -e 's/keyward[123]:8443/127.0.0.1:8443/' -e "s#/etc/nginx/tls#$tmp/tls#" \
  -e "s#/tmp/nginx.pid#$tmp/nginx.pid#" "$src/deploy/compose/nginx.conf" >"$tmp/nginx.conf"
grep -q 'keyward1:8443' "$src/deploy/compose/nginx.conf"
/usr/sbin/nginx -t -q -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf"
python3 - "$src/deploy/compose/compose.yaml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
services = doc["services"]
want = {"postgres", "redis", "keyward1", "keyward2", "keyward3", "nginx"}
assert want <= set(services), sorted(services)
for name in ("keyward1", "keyward2", "keyward3"):
    env = services[name]["environment"]
    assert env["KEYWARD_STORE_URL"].startswith("postgresql://"), name
    assert env["KEYWARD_LIMITS_BACKEND"].startswith("redis://redis:"), name
    assert "pepper" in services[name]["secrets"], name
print("compose.yaml: ok")
PY
echo "nginx.conf: ok"
