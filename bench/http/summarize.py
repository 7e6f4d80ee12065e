#!/usr/bin/env python3
"""Turns scripts/bench-http.sh's rounds.tsv and startup.tsv into the table of
docs/benchmarks.md (medians over rounds), summary.md and plot.dat for plot.gp."""
import statistics
import sys
from collections import defaultdict
from pathlib import Path

out = Path(sys.argv[1])
LABEL = {"healthz": "GET /healthz", "auth": "GET /v1/auth", "verify": "POST /v1/verify"}
rows = defaultdict(list)  # (size, endpoint, server) -> [(rps, p50, p99, bad, cpu_us)]
with open(out / "rounds.tsv") as f:
    next(f)
    for line in f:
        size, ep, _round, server, rps, p50, p99, bad, cpu = line.split("\t")
        rows[(int(size), ep, server)].append(
            (float(rps), float(p50), float(p99), int(bad), float(cpu)))


def med(key, i):
    return statistics.median(r[i] for r in rows[key])


def ms(us):
    return f"{us / 1000:.2f}"


sizes = sorted({k[0] for k in rows})
eps = [e for e in LABEL if any(k[1] == e for k in rows)]
lines = [
    "| keys | endpoint | keyward req/s | nginx req/s | ratio | keyward p50 / p99 ms "
    "| nginx p50 / p99 ms | CPU µs/req keyward / nginx | CPU ratio | errors |",
    "|---:|---|---:|---:|---:|---|---|---|---:|---:|",
]
plot = []
for size in sizes:
    cols = [str(size)]
    for ep in eps:
        k, n = (size, ep, "keyward"), (size, ep, "nginx")
        kr, nr = med(k, 0), med(n, 0)
        bad = sum(r[3] for r in rows[k]) + sum(r[3] for r in rows[n])
        lines.append(
            f"| {size:,} | {LABEL[ep]} | {kr:,.0f} | {nr:,.0f} | {kr / nr:.2f} "
            f"| {ms(med(k, 1))} / {ms(med(k, 2))} | {ms(med(n, 1))} / {ms(med(n, 2))} "
            f"| {med(k, 4):.1f} / {med(n, 4):.1f} | {med(n, 4) / med(k, 4):.2f} | {bad} |")
        cols += [f"{kr:.0f}", f"{nr:.0f}"]
    plot.append(" ".join(cols))
startup = []
with open(out / "startup.tsv") as f:
    for line in f:
        size, secs, rss = line.split()
        startup.append((int(size), float(secs), int(rss)))
lines.append("")
lines.append("| keys | start-up to /readyz 200 (s) | RSS after start-up (MiB) |")
lines.append("|---:|---:|---:|")
for size, secs, rss in startup:
    lines.append(f"| {size:,} | {secs:.2f} | {rss / 1024:.1f} |")
if len(startup) >= 2:
    (s0, _, r0), (s1, _, r1) = startup[0], startup[-1]
    lines.append("")
    lines.append(f"RSS per stored key: {(r1 - r0) * 1024 / (s1 - s0):.0f} bytes "
                 f"(RSS at {s1:,} keys minus RSS at {s0:,}, over the difference).")
lines.append("")
lines.append("ratio: keyward req/s over nginx req/s in the same rounds. CPU ratio: nginx's "
             "CPU time per request over keyward's, the throughput keyward would reach "
             "relative to nginx with the same CPU; it holds when the machine is busy.")
text = "\n".join(lines) + "\n"
(out / "summary.md").write_text(text)
(out / "plot.dat").write_text("# size " + " ".join(f"k_{e} n_{e}" for e in eps) + "\n" +
                              "\n".join(plot) + "\n")
print(text)
