#!/usr/bin/python3
"""Lints docs/openapi.yaml with the pinned @redocly/cli (tools/package-lock.json).

Any problem, error or warning, fails. A deliberately broken copy must fail too, so
a linter that silently checks nothing cannot pass this test.
    lint_openapi.py REDOCLY_BIN REDOCLY_CONFIG SPEC
"""
import json
import os
import subprocess
import sys
import tempfile

EXPECTED_VERSION = "2.77.0"


def lint(redocly, config, spec):
    env = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true")
    r = subprocess.run(
        [redocly, "lint", "--config", config, "--format", "json", spec],
        capture_output=True, text=True, env=env, check=False)
    start = r.stdout.find("{")
    if start < 0:
        sys.exit(f"redocly printed no JSON (exit {r.returncode}):\n{r.stdout}{r.stderr}")
    report = json.loads(r.stdout[start:])
    return r.returncode, report


def main():
    redocly, config, spec = sys.argv[1:4]
    code, report = lint(redocly, config, spec)
    if report.get("version") != EXPECTED_VERSION:
        sys.exit(f"redocly {report.get('version')}, expected {EXPECTED_VERSION}")
    for p in report["problems"]:
        where = p.get("location", [{}])[0].get("pointer", "")
        print(f"{p['severity']}: {p['ruleId']}: {p['message']} at {where}")
    totals = report["totals"]
    if code != 0 or totals["errors"] or totals["warnings"]:
        print(f"FAIL: {totals['errors']} errors, {totals['warnings']} warnings")
        return 1

    # Negative control: an operation without responses and a dangling $ref.
    with open(spec, encoding="utf-8") as f:
        text = f.read()
    broken = text.replace("$ref: '#/components/schemas/Problem'",
                          "$ref: '#/components/schemas/NoSuchSchema'", 1)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(broken)
    try:
        code, bad = lint(redocly, config, f.name)
    finally:
        os.unlink(f.name)
    if code == 0 or bad["totals"]["errors"] == 0:
        print("FAIL: the linter accepted a spec with a dangling $ref")
        return 1
    print(f"redocly {EXPECTED_VERSION}: {spec} lints clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
