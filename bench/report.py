#!/usr/bin/env python3
"""Turn timeit.py results into the benchmark table and the verdict on the targets.

    report.py --loop L.json --shmfix S.json [--kustomize K.json] [--loop-jemalloc J.json] --check-rc N
              --check-line TEXT --size-mb MB --out results.md [--info KEY=VALUE ...]

Prints the table (Markdown) and the targets, writes both to --out. --loop-jemalloc adds a row
for the loop linked with jemalloc, the allocator of the static shmfix: for the record, not a
target (the targets compare with the loop as it is, on glibc's malloc).
Exit status: 0 all targets met and the output is correct; 1 shmfix failed or
its output is wrong; 2 correct but a target was missed (or could not be
measured).
"""
import argparse
import json
import sys

# Targets (DESIGN.md, "Targets").
# DESIGN.md asked for 0.8×; issue 15 raised the goal to 1.6× on 2 cores.
MIN_LOOP_RATIO = 1.6
MIN_KUSTOMIZE_RATIO = 50.0
MAX_RSS_MIB = 64.0
RSS_TARGET_SIZE_MB = 100.0


def load(path):
    if not path:
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def mbps(r):
    if not r or not r.get("ok") or not r.get("min_s"):
        return None
    return r["mb"] / r["min_s"]


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", required=True)
    ap.add_argument("--shmfix", required=True)
    ap.add_argument("--kustomize")
    ap.add_argument("--loop-jemalloc")
    ap.add_argument("--check-rc", type=int, required=True)
    ap.add_argument("--check-line", default="")
    ap.add_argument("--size-mb", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--info", action="append", default=[])
    a = ap.parse_args()

    loop, shm, kus = load(a.loop), load(a.shmfix), load(a.kustomize)
    loop_je = load(a.loop_jemalloc)
    loop_mbps = mbps(loop)
    rows = []
    for label, r in (("libyaml event loop (C)", loop), ("  the same loop with jemalloc (for the record)", loop_je),
                     ("shmfix", shm), ("kubectl kustomize", kus)):
        if r is None:
            continue
        v = mbps(r)
        rows.append([
            label,
            fmt(r.get("mb"), ".2f"),
            str(len(r.get("runs", []))),
            fmt(r.get("min_s"), ".3f") if r.get("ok") else "FAILED",
            fmt(r.get("median_s"), ".3f") if r.get("ok") else "FAILED",
            fmt(v, ".2f"),
            fmt(v / loop_mbps if v is not None and loop_mbps else None, ".3f"),
            fmt(r["maxrss_kb"] / 1024 if r.get("maxrss_kb") is not None else None, ".1f"),
        ])
    head = ["tool", "input MB", "runs", "min s", "median s", "MB/s (min)", "× libyaml loop", "peak RSS MiB"]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    table = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows]

    shm_mbps = mbps(shm)
    kus_mbps = mbps(kus)
    correct = a.check_rc == 0 and shm is not None and shm.get("ok")
    verdicts = []

    def verdict(name, ok, detail):
        verdicts.append((name, ok, detail))

    verdict("output correct (check_output.py)", correct,
            a.check_line.strip() or ("shmfix failed" if shm and not shm.get("ok") else "check failed"))
    if shm_mbps is not None and loop_mbps:
        ratio = shm_mbps / loop_mbps
        verdict(f"throughput ≥ {MIN_LOOP_RATIO}× libyaml loop", ratio >= MIN_LOOP_RATIO,
                f"{ratio:.3f}× ({shm_mbps:.2f} vs {loop_mbps:.2f} MB/s)"
                + ("" if ratio >= MIN_LOOP_RATIO else "; DESIGN.md's 0.8× is " + ("met" if ratio >= 0.8 else "missed too")))
    else:
        verdict(f"throughput ≥ {MIN_LOOP_RATIO}× libyaml loop", None, "not measured")
    if shm_mbps is not None and kus_mbps:
        ratio = shm_mbps / kus_mbps
        verdict(f"≥ {MIN_KUSTOMIZE_RATIO:g}× kubectl kustomize", ratio >= MIN_KUSTOMIZE_RATIO,
                f"{ratio:.1f}× ({shm_mbps:.2f} MB/s on {shm['mb']:.1f} MB vs {kus_mbps:.3f} MB/s on {kus['mb']:.1f} MB)")
    else:
        verdict(f"≥ {MIN_KUSTOMIZE_RATIO:g}× kubectl kustomize", None, "not measured")
    if shm and shm.get("maxrss_kb") is not None:
        rss = shm["maxrss_kb"] / 1024
        note = "" if a.size_mb == RSS_TARGET_SIZE_MB else f" (measured on {a.size_mb:g} MB; the target is for 100 MB)"
        verdict(f"peak RSS ≤ {MAX_RSS_MIB:g} MiB", rss <= MAX_RSS_MIB, f"{rss:.1f} MiB{note}")
    else:
        verdict(f"peak RSS ≤ {MAX_RSS_MIB:g} MiB", None, "not measured")

    targets = ["Targets:"]
    for name, ok, detail in verdicts:
        mark = "PASS" if ok else ("n/a " if ok is None else "FAIL")
        targets.append(f"  [{mark}] {name}: {detail}")
    loop_je_mbps = mbps(loop_je)
    if shm_mbps is not None and loop_je_mbps:
        targets.append(f"  [info] against the loop with jemalloc (not a target): {shm_mbps / loop_je_mbps:.3f}× "
                       f"({shm_mbps:.2f} vs {loop_je_mbps:.2f} MB/s)")

    if not correct:
        status, summary = 1, "FAILED: shmfix's output is not correct (or shmfix failed); timings do not count"
    elif all(ok for _, ok, _ in verdicts):
        status, summary = 0, "PASSED: all targets met"
    else:
        status, summary = 2, "MISSED: output correct, but a target was missed or not measured"

    method = (shm or loop or {}).get("rss_method")
    foot = f"\npeak RSS: {method}\n" if method else ""
    text = "\n".join(table) + "\n" + foot + "\n" + "\n".join(targets) + "\n\n" + summary + "\n"
    print(text, end="")
    with open(a.out, "w") as f:
        f.write("# shmfix benchmark\n\n")
        for kv in a.info:
            k, _, v = kv.partition("=")
            f.write(f"- {k}: {v}\n")
        f.write("\nMB = 10^6 bytes; MB/s uses the fastest run; ratios are MB/s over the libyaml loop's MB/s.\n\n")
        f.write(text.replace("Targets:\n", "Targets:\n\n").replace("\n  [", "\n- ["))
    sys.exit(status)


if __name__ == "__main__":
    main()
