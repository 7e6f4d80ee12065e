#!/usr/bin/env bash
# Runs the README's "Quick start" shell block, as written, against a fresh keyward:
# only the port and the data dir are replaced. Fails when a command fails or the
# answers are not what the README's comments promise.
#   check_readme_quickstart.sh KEYWARD_BINARY README
set -uo pipefail
bin=$1
readme=$2
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" serve --data-dir "$dir/data" --listen 127.0.0.1:0 2>"$dir/log" &
pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -nE 's|.*listening on https://127\.0\.0\.1:([0-9]+).*|\1|p' "$dir/log")
  # It listens before its index is loaded; "; ready" ends the load.
  [ -n "$port" ] && grep -q '; ready' "$dir/log" && [ -s "$dir/data/bootstrap-admin.key" ] && break
  sleep 0.05
done
[ -n "$port" ] || fail "keyward did not start: $(cat "$dir/log")"

# The first ```sh block after the "## Quick start" heading.
awk '/^## Quick start/ {q=1} q && /^```sh$/ {b=1; next} b && /^```$/ {exit} b {print}' \
  "$readme" >"$dir/block.sh"
[ "$(wc -l <"$dir/block.sh")" -ge 8 ] || fail "no Quick start block in $readme"
grep -q '127.0.0.1:8443' "$dir/block.sh" || fail "the block does not use 127.0.0.1:8443"
sed -i "s|127.0.0.1:8443|127.0.0.1:$port|g; s|data/bootstrap-admin.key|$dir/data/bootstrap-admin.key|g" \
  "$dir/block.sh"

(cd "$dir" && bash -euo pipefail block.sh) >"$dir/out" 2>&1 || {
  cat "$dir/out"
  fail "the Quick start block failed"
}
out=$(cat "$dir/out")
echo "$out" | sed 's/"kw_[0-9A-Za-z]*"/"kw_..."/g'
lines=$(echo "$out" | grep -c .)
[ "$lines" -eq 3 ] || fail "expected 3 answers (me, verify, verify), got $lines"
me=$(echo "$out" | sed -n 1p)
ok=$(echo "$out" | sed -n 2p)
gone=$(echo "$out" | sed -n 3p)
[[ "$me" == *'"effective_scopes":["logs:read"]'* ]] || fail "/v1/me: $me"
[[ "$me" == *'"username":"admin"'* ]] || fail "/v1/me names the owner: $me"
[[ "$ok" == *'"valid":true'* && "$ok" == *'"code":"VALID"'* ]] || fail "verify: $ok"
[[ "$gone" == *'"valid":false'* && "$gone" == *'"code":"REVOKED"'* ]] ||
  fail "verify after revoke: $gone"
[ ! -e "$dir/key.json" ] || fail "the block leaves key.json behind"
echo "PASS: the README Quick start works as written"
