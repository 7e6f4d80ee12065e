#!/usr/bin/python3
"""Every answer of a real keyward matches docs/openapi.yaml.

Starts the server on a fresh data dir, calls every operation of the spec (and the
usual errors), and for each answer checks that the spec documents its status, that
the body validates against the documented schema (JSON Schema 2020-12), and that
every member of the body is documented, so a field the server adds without the
spec fails here too.
    check_openapi_responses.py KEYWARD_BINARY SPEC
"""
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to check (GET /console -> 308), not to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Checker:
    def __init__(self, spec, base):
        self.spec = spec
        self.base = base
        self.resolver = jsonschema.RefResolver("", spec)
        self.ctx = ssl.create_default_context()
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE  # the server's own self-signed certificate
        self.failures = []
        self.covered = set()
        self.opener = urllib.request.build_opener(
            NoRedirect, urllib.request.HTTPSHandler(context=self.ctx))
        self.last_headers = None

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def undocumented(self, body, schema, where):
        """Members of `body` that `schema` does not name (recursively)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        for key in ("oneOf", "anyOf"):
            if key in schema:
                for branch in schema[key]:
                    try:
                        jsonschema.Draft202012Validator(
                            self.resolve(branch), resolver=self.resolver).validate(body)
                    except jsonschema.ValidationError:
                        continue
                    return self.undocumented(body, branch, where)
                return []
        props = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            props.update(self.resolve(part).get("properties", {}))
        out = []
        if isinstance(body, dict) and props and "additionalProperties" not in schema:
            for k, v in body.items():
                if k not in props:
                    out.append(f"{where}.{k}")
                else:
                    out += self.undocumented(v, props[k], f"{where}.{k}")
        elif isinstance(body, list) and "items" in schema:
            for i, v in enumerate(body[:3]):
                out += self.undocumented(v, schema["items"], f"{where}[{i}]")
        return out

    def call(self, method, template, status, path=None, key=None, body=None,
             headers=None, raw=None):
        path = path or template
        req = urllib.request.Request(self.base + path, method=method.upper())
        if key:
            req.add_header("Authorization", "Bearer " + key)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        data = raw if raw is not None else (
            json.dumps(body).encode() if body is not None else None)
        if data is not None and "Content-Type" not in (headers or {}):
            req.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(req, data=data) as r:
                got, hdrs, text = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            got, hdrs, text = e.code, e.headers, e.read()
        self.last_headers = hdrs
        what = f"{method.upper()} {path} -> {got}"
        self.covered.add((method, template))
        if got != status:
            return self.fail(f"{what}: expected {status}: {text[:300]!r}")
        op = self.spec["paths"][template][method]
        resp = self.resolve(op["responses"].get(str(status)))
        if resp is None:
            return self.fail(f"{what}: status not documented")
        # The headers a client relies on, where the spec documents them.
        must = {201: "Location", 401: "WWW-Authenticate", 429: "Retry-After"}.get(status)
        if must in resp.get("headers", {}) and must not in hdrs:
            self.fail(f"{what}: documented header {must} missing")
        content = resp.get("content")
        ctype = (hdrs.get("Content-Type") or "").split(";")[0]
        if not content:
            if text and method != "head":
                self.fail(f"{what}: a body where the spec documents none")
            else:
                print(f"ok:   {what}")
            return None
        if ctype not in content:
            return self.fail(f"{what}: Content-Type {ctype!r} not in {list(content)}")
        schema = content[ctype].get("schema", {})
        value = json.loads(text) if ctype.endswith("json") else text.decode()
        # A mismatch is reported, and the value still returned, so that one wrong
        # schema does not hide what the later calls would show.
        try:
            jsonschema.Draft202012Validator(schema, resolver=self.resolver).validate(value)
        except jsonschema.ValidationError as e:
            self.fail(f"{what}: {e.message} at {list(e.absolute_path)}")
            return value
        extra = self.undocumented(value, schema, "body")
        if extra:
            self.fail(f"{what}: undocumented members {extra}")
        else:
            print(f"ok:   {what}")
        return value

    def fail(self, message):
        print("FAIL: " + message)
        self.failures.append(message)
        return None


def start(binary, data_dir):
    log = open(os.path.join(os.path.dirname(data_dir), "log"), "w+")
    proc = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--listen",
                             "127.0.0.1:0"], stderr=log, stdout=subprocess.DEVNULL)
    for _ in range(300):
        log.seek(0)
        text = log.read()
        m = re.search(r"listening on https://127\.0\.0\.1:(\d+)", text)
        # It listens before its index is loaded; "; ready" ends the load.
        if m and "; ready" in text and os.path.exists(os.path.join(data_dir, "bootstrap-admin.key")):
            return proc, int(m.group(1))
        time.sleep(0.05)
    proc.kill()
    sys.exit("keyward did not start")


def exercise(c, admin):
    c.call("get", "/healthz", 200)
    c.call("get", "/readyz", 200)
    c.call("get", "/metrics", 200)
    c.call("get", "/v1/keys", 401)
    k = c.call("post", "/v1/keys", 201, key=admin,
               body={"name": "spec", "scopes": ["logs:read"], "tags": ["t"],
                     "metadata": {"team": "a"}, "expires_in": "30d",
                     "refill": {"amount": 5, "interval": "daily"}, "remaining_uses": 5})
    if not k:
        return
    kid, secret = k["id"], k["key"]
    c.call("post", "/v1/keys", 422, key=admin, body={"nam": "typo"})
    c.call("post", "/v1/keys", 400, key=admin, raw=b"{not json")
    c.call("get", "/v1/keys", 200, path="/v1/keys?limit=1", key=admin)
    c.call("get", "/v1/keys/{id}", 200, path=f"/v1/keys/{kid}", key=admin)
    c.call("get", "/v1/keys/{id}", 404, path="/v1/keys/key_nope", key=admin)
    c.call("patch", "/v1/keys/{id}", 200, path=f"/v1/keys/{kid}", key=admin,
           body={"description": "changed", "ip_allow": ["127.0.0.0/8"]})
    c.call("get", "/v1/me", 200, key=secret)
    c.call("post", "/v1/verify", 200, body={"key": secret, "scopes": ["logs:read"]})
    c.call("post", "/v1/verify", 200, body={"key": secret, "scopes": ["keys:write"]})
    c.call("post", "/v1/verify", 200, body={"key": "kw_nope"})
    c.call("post", "/v1/verify", 422, body={"key": 1})
    c.call("get", "/v1/keys/{id}/usage", 200, path=f"/v1/keys/{kid}/usage", key=admin)
    rotated = c.call("post", "/v1/keys/{id}/rotate", 201, path=f"/v1/keys/{kid}/rotate",
                     key=admin, body={"grace_seconds": 60})
    c.call("post", "/v1/keys/{id}/rotate", 409, path=f"/v1/keys/{kid}/rotate",
           key=admin, body={})
    c.call("delete", "/v1/keys/{id}", 204, path=f"/v1/keys/{kid}", key=admin)
    c.call("patch", "/v1/keys/{id}", 409, path=f"/v1/keys/{kid}", key=admin,
           body={"name": "x"})
    c.call("get", "/v1/me", 401, key=secret)

    # Forward auth: allowed, no key, missing scope, rate limited, bad scope.
    limited = c.call("post", "/v1/keys", 201, key=admin,
                     body={"name": "fa", "scopes": ["logs:read"],
                           "rate_limit": {"limit": 1, "window_seconds": 60}})
    if limited:
        lk = limited["key"]
        c.call("get", "/v1/auth", 200, path="/v1/auth?scope=logs:read", key=lk)
        c.call("post", "/v1/auth/{path}", 403, path="/v1/auth/api/x?scope=admin:read",
               key=lk)
        c.call("get", "/v1/auth", 429, path="/v1/auth?scope=logs:read", key=lk)
    c.call("get", "/v1/auth", 401)
    c.call("get", "/v1/auth", 400, path="/v1/auth?scope=not-a-scope", key=admin)
    if rotated:
        c.call("get", "/v1/auth/{path}", 200, path="/v1/auth/api/logs",
               key=rotated["key"])

    org = c.call("post", "/v1/orgs", 201, key=admin, body={"name": "acme"})
    if org:
        oid = org["id"]
        c.call("get", "/v1/orgs", 200, key=admin)
        c.call("get", "/v1/orgs/{id}", 200, path=f"/v1/orgs/{oid}", key=admin)
        c.call("patch", "/v1/orgs/{id}", 200, path=f"/v1/orgs/{oid}", key=admin,
               body={"api_keys_enabled": False})
        user = c.call("post", "/v1/users", 201, key=admin,
                      body={"username": "alice", "org_id": oid, "role": "member",
                            "permissions": ["logs:read"]})
        if user:
            uid = user["id"]
            c.call("get", "/v1/users", 200, path=f"/v1/users?org_id={oid}", key=admin)
            c.call("get", "/v1/users/{id}", 200, path=f"/v1/users/{uid}", key=admin)
            c.call("patch", "/v1/users/{id}", 200, path=f"/v1/users/{uid}", key=admin,
                   body={"enabled": False})
            c.call("post", "/v1/users", 409, key=admin,
                   body={"username": "ALICE", "org_id": oid})
            console(c, admin, uid)
            c.call("delete", "/v1/users/{id}", 204, path=f"/v1/users/{uid}", key=admin)
        c.call("delete", "/v1/orgs/{id}", 204, path=f"/v1/orgs/{oid}?force=true",
               key=admin)
    time.sleep(2.2)  # refused calls reach the audit trail in batches
    c.call("get", "/v1/audit", 200, path="/v1/audit?limit=100", key=admin)
    c.call("get", "/v1/audit", 422, path="/v1/audit?since=yesterday", key=admin)


def console(c, admin, uid):
    """The web console's routes: files, sign-in, session, sign-out, passwords."""
    pw = "correct horse battery"
    c.call("put", "/v1/users/{id}/password", 422, path=f"/v1/users/{uid}/password",
           key=admin, body={"password": "short"})
    c.call("put", "/v1/users/{id}/password", 204, path=f"/v1/users/{uid}/password",
           key=admin, body={"password": pw})
    c.call("get", "/console", 308)
    c.call("get", "/console/", 200)
    c.call("get", "/console/{file}", 200, path="/console/app.js")
    c.call("get", "/console/{file}", 404, path="/console/nope.js")
    c.call("get", "/console/session", 401)
    c.call("post", "/console/session", 415, raw=b'{"username": "alice", "password": "x"}',
           headers={"Content-Type": "text/plain"})
    c.call("post", "/console/session", 422, body={"username": "alice"})
    c.call("post", "/console/session", 401, body={"username": "alice", "password": "x"})
    # alice was disabled above: re-enable her, then sign in.
    c.call("patch", "/v1/users/{id}", 200, path=f"/v1/users/{uid}", key=admin,
           body={"enabled": True})
    s = c.call("post", "/console/session", 201, body={"username": "alice", "password": pw})
    cookie = (c.last_headers.get("Set-Cookie") or "").split(";")[0]
    if s:
        c.call("get", "/console/session", 200, headers={"Cookie": cookie})
        c.call("delete", "/console/session", 403, headers={"Cookie": cookie})
        c.call("delete", "/console/session", 204,
               headers={"Cookie": cookie, "X-CSRF-Token": s["csrf_token"]})


def main():
    binary, spec_path = sys.argv[1:3]
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    work = tempfile.mkdtemp()
    proc, port = start(binary, os.path.join(work, "data"))
    try:
        admin = open(os.path.join(work, "data", "bootstrap-admin.key")).read().strip()
        c = Checker(spec, f"https://127.0.0.1:{port}")
        exercise(c, admin)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work)
    ops = {(m, p) for p, item in spec["paths"].items() for m in METHODS if m in item}
    missed = sorted(o for o in ops - c.covered if not o[1].startswith("/v1/auth"))
    for m, p in missed:
        c.fail(f"not exercised: {m.upper()} {p}")
    if c.failures:
        print(f"{len(c.failures)} failure(s)")
        return 1
    print(f"{len(c.covered)} operations answered as the spec says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
