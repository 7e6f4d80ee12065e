#!/usr/bin/python3
"""The untested gateway configurations (docs/gateways/envoy.yaml, traefik.yml) pass
only headers that /v1/auth really uses, in the right direction, and all of those
it must.

What keyward reads and writes is taken from its sources (src/api/*.cc: header
names given to Set(...) are written, other header names there are read), not from
a list kept here, so a renamed header fails this test.
    check_gateway_headers.py SOURCE_DIR
"""
import glob
import os
import re
import sys

import yaml

IDENTITY = {"x-keyward-key-id", "x-keyward-owner", "x-keyward-org", "x-keyward-scopes"}
# The transport, not src/api, sets these on every response.
TRANSPORT_WRITES = {"content-length", "connection"}
# Envoy's ext_authz always sends these to the authorization service.
ENVOY_DEFAULT_TO_AUTH = {"host", ":method", ":path", "content-length", "authorization"}

failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def keyward_headers(src):
    """Header names in src/api: those given to Set(...) or Add(...) are written; any other
    header-shaped string literal (in Header(...) calls, name tables, comparisons) is
    taken as read."""
    reads, writes = set(), set()
    written = r'\b(?:Set|Add)\("([A-Za-z][A-Za-z0-9-]*)"'
    read = r'"([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+|Authorization|Origin)"'
    for path in glob.glob(os.path.join(src, "src", "api", "*.cc")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"//[^\n]*", "", text)  # names in comments prove nothing
        writes.update(n.lower() for n in re.findall(written, text))
        reads.update(n.lower() for n in re.findall(read, re.sub(written, "", text)))
    return reads, writes | TRANSPORT_WRITES


def envoy(path, reads, writes):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    filters = [flt for lst in doc["static_resources"]["listeners"]
               for chain in lst["filter_chains"] for hcm in chain["filters"]
               for flt in hcm["typed_config"].get("http_filters", [])]
    authz = [flt["typed_config"] for flt in filters
             if flt["name"] == "envoy.filters.http.ext_authz"]
    check(len(authz) == 1, "envoy.yaml has one ext_authz filter")
    service = authz[0]["http_service"]
    check(service["path_prefix"] == "/v1/auth", "envoy: path_prefix is /v1/auth")

    def exact(patterns):
        names = [p["exact"].lower() for p in patterns["patterns"]]
        check(all(set(p) == {"exact"} for p in patterns["patterns"]),
              "envoy: header patterns are exact names")
        return set(names)

    request = service["authorization_request"]
    to_auth = exact(request["allowed_headers"])
    to_auth |= {h["key"].lower() for h in request.get("headers_to_add", [])}
    check(to_auth <= reads, f"envoy: headers sent to keyward are read by it: {sorted(to_auth)}"
          + (f" (not read: {sorted(to_auth - reads)})" if not to_auth <= reads else ""))
    response = service["authorization_response"]
    upstream = exact(response["allowed_upstream_headers"])
    check(upstream == IDENTITY, f"envoy: the API gets exactly the identity: {sorted(upstream)}")
    for key in ("allowed_client_headers", "allowed_client_headers_on_success"):
        client = exact(response[key])
        check(client <= writes, f"envoy: {key} are written by keyward: {sorted(client)}"
              + (f" (never written: {sorted(client - writes)})" if not client <= writes else ""))
    denial = exact(response["allowed_client_headers"])
    check({"www-authenticate", "retry-after"} <= denial,
          "envoy: denials reach the client with WWW-Authenticate and Retry-After")
    # Envoy's own defaults must not be relied on for anything keyward needs.
    check("x-api-key" in to_auth, "envoy: X-API-Key reaches keyward")
    check(ENVOY_DEFAULT_TO_AUTH & reads == {"authorization"},
          "envoy: of its default headers keyward reads only Authorization")


def traefik(path, reads, writes):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    mws = doc["http"]["middlewares"]
    fwd = [m["forwardAuth"] for m in mws.values() if "forwardAuth" in m]
    check(len(fwd) == 1, "traefik.yml has one forwardAuth middleware")
    fa = fwd[0]
    check(re.match(r"https://[^/]+/v1/auth(\?|/|$)", fa["address"]) is not None,
          f"traefik: address is keyward's /v1/auth: {fa['address']}")
    to_auth = {h.lower() for h in fa["authRequestHeaders"]}
    check(to_auth <= reads, f"traefik: authRequestHeaders are read by keyward: {sorted(to_auth)}"
          + (f" (not read: {sorted(to_auth - reads)})" if not to_auth <= reads else ""))
    check({"authorization", "x-api-key"} <= to_auth,
          "traefik: both credential headers reach keyward")
    upstream = {h.lower() for h in fa["authResponseHeaders"]}
    check(upstream == IDENTITY, f"traefik: the API gets exactly the identity: {sorted(upstream)}")
    check(upstream <= writes, "traefik: authResponseHeaders are written by keyward")
    check(fa.get("trustForwardHeader") is False,
          "traefik: trustForwardHeader is false (clients cannot choose X-Forwarded-*)")


def main():
    src = sys.argv[1]
    reads, writes = keyward_headers(src)
    check({"authorization", "x-api-key", "x-forwarded-for"} <= reads,
          f"keyward reads the credential and client-IP headers ({len(reads)} read)")
    check(IDENTITY | {"www-authenticate", "retry-after", "ratelimit"} <= writes,
          f"keyward writes the identity and denial headers ({len(writes)} written)")
    envoy(os.path.join(src, "docs", "gateways", "envoy.yaml"), reads, writes)
    traefik(os.path.join(src, "docs", "gateways", "traefik.yml"), reads, writes)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
