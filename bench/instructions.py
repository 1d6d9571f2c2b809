#!/usr/bin/env python3
"""Instruction counts of shmfix and the libyaml event loop on the same slice, with callgrind.

    instructions.py STREAM SHMFIX LOOP OUT_DIR [--slice-mb 3] [--flag --shm-size=2gb]

Instructions do not move with machine noise (valgrind counts them, whatever else runs), so
this is the figure to compare two builds by, or shmfix against the loop. The slice is the first
SLICE_MB of STREAM, cut at a document start (`---` line) so both tools read whole documents.

Prints a Markdown table (totals, ratio, and shmfix's split by phase: the inclusive cost of the
functions that do each phase) and writes it, with the raw figures as JSON, to OUT_DIR.
"""
import argparse, json, os, re, subprocess, sys

# Phase → substrings of (mangled) function names whose inclusive cost is that phase. Matched in
# order; the first function of a phase found in the profile counts (its callees are inside it).
PHASES = [
    ("read (input, chunking)", ["InputReader", "DocumentChunker", "StreamingRun6stream", "StreamingRun", "read"]),
    ("parse (libyaml)", ["yaml_parser_parse"]),
    ("tree (events → nodes)", ["ParseSession", "TreeBuilder"]),
    ("locate", ["PodSpecLocator"]),
    ("plan", ["FixPlanner"]),
    ("render", ["TextRenderer", "TextEdit"]),
    ("write (spool, stdout)", ["OutputSpool", "OutputSink"]),
]


def cut_slice(stream, out_path, megabytes):
    limit = int(megabytes * 1_000_000)
    with open(stream, "rb") as source:
        data = source.read(limit + 2_000_000)
    end = data.find(b"\n---", limit)
    end = len(data) if end < 0 else end + 1
    with open(out_path, "wb") as sink:
        sink.write(data[:end])
    return end


def callgrind(command, stdin_path, out_file):
    with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as devnull:
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", "--dump-instr=no"] + command,
            stdin=stdin, stdout=devnull, stderr=subprocess.DEVNULL, check=True)
    with open(out_file, encoding="utf-8", errors="replace") as profile:
        for line in profile:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {out_file}")


def inclusive_costs(out_file):
    """(cost, function name) for every function, inclusive of its callees."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", out_file],
        capture_output=True, text=True, errors="replace", check=True).stdout
    rows = []
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(?:\S+:)?(.*)$", line) or re.match(r"\s*([\d,]+)\s+(?:\S+:)?(.*)$", line)
        if match:
            rows.append((int(match.group(1).replace(",", "")), match.group(2)))
    return rows


def phase_split(rows):
    split = []
    for phase, needles in PHASES:
        cost = 0
        for needle in needles:
            found = [c for c, name in rows if needle in name]
            if found:
                cost = max(found)
                break
        split.append((phase, cost))
    return split


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stream")
    parser.add_argument("shmfix")
    parser.add_argument("loop")
    parser.add_argument("out")
    parser.add_argument("--slice-mb", type=float, default=3.0)
    parser.add_argument("--flag", default="--shm-size=2gb")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    slice_path = os.path.join(args.out, f"slice-{args.slice_mb:g}MB.yaml")
    size = cut_slice(args.stream, slice_path, args.slice_mb)
    shmfix_out = os.path.join(args.out, "callgrind.shmfix.out")
    loop_out = os.path.join(args.out, "callgrind.loop.out")
    shmfix_total = callgrind([args.shmfix, args.flag], slice_path, shmfix_out)
    loop_total = callgrind([args.loop, "-"], slice_path, loop_out)
    rows = inclusive_costs(shmfix_out)
    split = phase_split(rows)
    ratio = shmfix_total / loop_total
    lines = [
        f"Instructions (callgrind) on the first {size / 1e6:.2f} MB of the stream:",
        "",
        "| tool | instructions | per byte | × libyaml loop |",
        "|---|---|---|---|",
        f"| libyaml event-parse loop (C) | {loop_total:,} | {loop_total / size:.1f} | 1.00 |",
        f"| **shmfix** | {shmfix_total:,} | {shmfix_total / size:.1f} | **{ratio:.2f}** |",
        "",
        "shmfix by phase (inclusive instructions of the functions doing it; phases nest where one",
        "calls another, e.g. parse inside tree, so they need not add up to the total):",
        "",
        "| phase | instructions | share of shmfix |",
        "|---|---|---|",
    ]
    for phase, cost in split:
        lines.append(f"| {phase} | {cost:,} | {cost / shmfix_total:.0%} |")
    table = "\n".join(lines) + "\n"
    sys.stdout.write(table)
    with open(os.path.join(args.out, "instructions.md"), "w") as sink:
        sink.write(table)
    with open(os.path.join(args.out, "instructions.json"), "w") as sink:
        json.dump({"slice_bytes": size, "shmfix": shmfix_total, "libyaml_loop": loop_total, "ratio": ratio,
                   "phases": dict(split)}, sink, indent=1)


if __name__ == "__main__":
    main()
