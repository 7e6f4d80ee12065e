#!/usr/bin/python3
"""docs/openapi.yaml lists exactly the (method, path) pairs the server routes.

The server's side comes from the real route table (keyward_route_table prints
Api::RouteTable()), so a route added to the server without a spec entry, or a spec
entry for a route that does not exist, fails here.
    check_openapi_routes.py ROUTE_TABLE_BINARY SPEC
"""
import re
import subprocess
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def normalize(path):
    # Parameter names are free to differ ({id} vs {key_id}); positions are not.
    return re.sub(r"\{[^}/]+\}", "{}", path)


def server_routes(binary):
    out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
    pairs = set()
    for line in out.splitlines():
        method, path = line.split(" ", 1)
        # "*" is forward auth: it answers every method.
        for m in METHODS if method == "*" else (method.lower(),):
            pairs.add((m, normalize(path)))
    return pairs


def spec_routes(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    pairs = set()
    for path, item in spec["paths"].items():
        if "$ref" in item:
            sys.exit(f"{path}: a $ref path item; list its operations inline")
        for m in METHODS:
            if m in item:
                pairs.add((m, normalize(path)))
    return pairs


def main():
    server = server_routes(sys.argv[1])
    spec = spec_routes(sys.argv[2])
    if len(server) < 20:
        sys.exit(f"only {len(server)} routes from {sys.argv[1]}: is that the route table?")
    ok = True
    for m, p in sorted(server - spec):
        print(f"missing from the spec: {m.upper()} {p}")
        ok = False
    for m, p in sorted(spec - server):
        print(f"in the spec, not routed by the server: {m.upper()} {p}")
        ok = False
    if not ok:
        return 1
    print(f"{len(server)} (method, path) pairs: the spec and the route table agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
