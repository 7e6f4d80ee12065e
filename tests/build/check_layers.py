#!/usr/bin/env python3
"""The build enforces the module layering of docs/architecture.md.

For every module, takes the real compile command of one of its sources from
compile_commands.json, swaps the source for a one-line file that includes a header
of each other module, and checks that exactly the modules the layering allows
compile; every other include must fail ("No such file"). Also checks that each
module's layer view (build/layers/<lib>/keyward/) holds exactly the allowed dirs.

  check_layers.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

# module -> the header dirs its sources may include (its own included). The
# direction: core <- store <- service <- usage <- api <- cli; json below config,
# config below service; http beside (api uses its message structs), tls only under
# http and cli.
ALLOWED = {
    "core": {"core"},
    "json": {"core", "json"},  # core/result.h only; nlohmann besides
    "store": {"core", "store"},
    "tls": {"core", "tls"},
    "http": {"core", "http", "tls"},  # tls privately: http's headers never name it
    "config": {"core", "json", "config"},
    "console": {"console"},  # embedded static files: depends on nothing
    "metrics": {"core", "metrics"},
    "limits": {"core", "limits"},  # hiredis besides; wired in by cli/ only
    "service": {"core", "store", "config", "json", "service"},
    "usage": {"core", "store", "config", "json", "service", "metrics", "usage"},
    # api sees http/message.h (plain structs), not the TLS layer.
    "api": {"core", "store", "config", "json", "service", "usage", "metrics", "http",
            "console", "api"},
    "cli": {"core", "store", "config", "json", "service", "usage", "metrics", "http",
            "tls", "console", "api", "limits", "cli"},
}
LIBRARY = {m: "keyward_" + m for m in ALLOWED}


def main():
    build = pathlib.Path(sys.argv[1]).resolve()
    source = pathlib.Path(sys.argv[2]).resolve()
    include = source / "include" / "keyward"
    probe = {}  # module -> one header to include
    for d in sorted(include.iterdir()):
        headers = sorted(d.glob("*.h"))
        if headers:
            probe[d.name] = f"keyward/{d.name}/{headers[0].name}"
    commands = json.loads((build / "compile_commands.json").read_text())
    failures = []
    for module, allowed in ALLOWED.items():
        # What the build links for this module must be what the table allows (plus
        # the views it inherits from the libraries it links, which are allowed too).
        view = build / "layers" / LIBRARY[module] / "keyward"
        own = {p.name for p in view.iterdir()} if view.is_dir() else set()
        pview = build / "layers" / (LIBRARY[module] + "-private") / "keyward"
        if pview.is_dir():
            own |= {p.name for p in pview.iterdir()}
        if not own <= allowed or module not in own:
            failures.append(f"{module}: layer view holds {sorted(own)}")
        src_dir = str(source / "src" / module)
        cmd = next((c for c in commands
                    if c["file"].startswith(src_dir + "/")), None)
        if cmd is None:
            failures.append(f"{module}: no compile command in compile_commands.json")
            continue
        args = shlex.split(cmd["command"]) if "command" in cmd else cmd["arguments"]
        # Drop the output and input; keep compiler, flags and -I/-isystem paths.
        kept, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-c"):
                skip = a == "-o"
                continue
            if a == cmd["file"] or a.endswith(".cc"):
                continue
            kept.append(a)
        if os.path.basename(kept[0]) == "ccache":
            kept = kept[1:]
        for target, header in probe.items():
            with tempfile.NamedTemporaryFile("w", suffix=".cc", delete=False) as f:
                f.write(f'#include "{header}"\n')
                tu = f.name
            r = subprocess.run(kept + ["-fsyntax-only", tu], cwd=cmd["directory"],
                               capture_output=True, text=True)
            os.unlink(tu)
            compiles = r.returncode == 0
            if compiles != (target in allowed):
                why = "compiles" if compiles else r.stderr.strip().splitlines()[:1]
                failures.append(f"{module} including {header}: {why}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(ALLOWED)} modules x {len(probe)} header dirs checked, "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
