#!/usr/bin/env python3
"""Instruction counts of shmfix and the libyaml event loop on the same slice, with callgrind.

    instructions.py STREAM SHMFIX LOOP OUT_DIR [--slice-mb 3] [--flag --shm-size=2gb]
                    [--startup-runs 20] [--startup-bytes 3000] [--no-marginal]

Instructions do not move with machine noise (valgrind counts them, whatever else runs), so
this is the figure to compare two builds by, or shmfix against the loop. The slice is the first
SLICE_MB of STREAM, cut at a document start (`---` line) so both tools read whole documents.

Prints a Markdown report and writes it (instructions.md), with the raw figures as JSON
(instructions.json), to OUT_DIR:

- totals of both tools, their ratio, and shmfix's *own* instructions: its total less what it
  spends inside libyaml (`yaml_parser_parse` and `yaml_event_delete`, inclusive: the loop runs
  the same two functions on the same bytes);
- shmfix by phase, phases that do not overlap (see PHASES), and `other` for the rest (start-up,
  argument parsing, threads, the glue in ShmFixer);
- malloc/free and retain/release self costs of both tools;
- shmfix's top functions by self cost outside libyaml and libc's allocator (demangled when
  `swift demangle` is on PATH): where the next cut is;
- the cost per byte of a long stream: both tools counted again (totals only) on a slice twice
  as long; the difference is what the added bytes cost, without the fixed costs (start-up,
  argument parsing, threads) that a short slice weighs more than the 100 MB stream does;
- start-up: one small document (the first document of STREAM of at least STARTUP_BYTES, alone),
  wall milliseconds over STARTUP_RUNS runs and instructions.

The profile is read straight from callgrind's output file (no callgrind_annotate): functions are
aggregated by name across files and threads, and a function's inclusive cost is its self cost
plus the cost of the calls it makes (exact for the phase roots below, none of which recurses).
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, time

LIBYAML_ROOTS = ["yaml_parser_parse", "yaml_event_delete"]

# Phase → mangled-name prefixes of the functions whose inclusive cost is that phase ("$s" +
# module + type + member, so a helper of the same type does not match). `minus` lists phases
# whose roots are called from inside this one and are subtracted from it.
PHASES = [
    ("read (input, chunking, encoding check)",
     ["$s10ShmfixYAML15DocumentChunkerV4feed", "$s10ShmfixYAML15DocumentChunkerV6finish",
      "$s10ShmfixYAML13EncodingCheckO6verify", "$s6shmfix11InputSourceV4read"], []),
    ("parse (libyaml: yaml_parser_parse, yaml_event_delete)", LIBYAML_ROOTS, []),
    ("triage (KindTriage: does a document need nodes)", ["$s16ShmfixKubernetes10KindTriageO"], []),
    ("tree (events → nodes; YAMLReader.read less the rows above)",
     ["$s10ShmfixYAML10YAMLReaderV4read"], ["parse", "triage", "encoding"]),
    ("locate (PodSpecLocator)", ["$s16ShmfixKubernetes14PodSpecLocatorV6locatey"], []),
    ("plan (FixPlanner)", ["$s14ShmfixPlanning10FixPlannerV4plan"], []),
    ("render (TextRenderer, TextEdit.apply)",
     ["$s15ShmfixRendering12TextRendererV5edits", "$s15ShmfixRendering8TextEditV5apply"], []),
    ("write (spool, stdout)", ["$s6shmfix11OutputSpoolC6append", "$s6shmfix11OutputSpoolC5drain"], []),
]
# glibc's allocator (malloc/malloc.c), for binaries where its functions carry no file name.
GLIBC_ALLOCATOR = {"malloc", "free", "realloc", "calloc", "_int_malloc", "_int_free", "_int_realloc", "malloc_consolidate",
                   "unlink_chunk.constprop.0", "unlink_chunk", "malloc_usable_size", "sysmalloc", "_int_memalign",
                   "tcache_init", "tcache_init.part.0", "cfree"}


def jemalloc_functions():
    """The functions of jemalloc (libjemalloc.a), which the static shmfix links as its allocator
    (Makefile, dist-binary): every text symbol the archive defines, exported or not."""
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "jemalloc"], capture_output=True,
                                text=True, check=True).stdout.strip()
        symbols = subprocess.run(["nm", "--defined-only", os.path.join(libdir, "libjemalloc.a")],
                                 capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {parts[2] for parts in (line.split() for line in symbols.splitlines())
            if len(parts) == 3 and parts[1] in "tT"}


ALLOCATOR = GLIBC_ALLOCATOR | jemalloc_functions()
ENCODING = ["$s10ShmfixYAML13EncodingCheckO6verify"]


def cut_slice(stream, out_path, megabytes):
    limit = int(megabytes * 1_000_000)
    with open(stream, "rb") as source:
        data = source.read(limit + 2_000_000)
    end = data.find(b"\n---", limit)
    end = len(data) if end < 0 else end + 1
    with open(out_path, "wb") as sink:
        sink.write(data[:end])
    return end


def small_document(stream, out_path, least):
    """The first document of STREAM of at least LEAST bytes, alone in OUT_PATH."""
    with open(stream, "rb") as source:
        data = source.read(4_000_000)
    starts = [0] + [m.start() + 1 for m in re.finditer(rb"\n---", data)]
    for begin, end in zip(starts, starts[1:]):
        if end - begin >= least:
            with open(out_path, "wb") as sink:
                sink.write(data[begin:end])
            return end - begin
    raise SystemExit(f"no document of {least} bytes or more in the first 4 MB of {stream}")


def callgrind(command, stdin_path, out_file):
    # Swift seeds its hashing per process: the cost of a Set or Dictionary lookup then varies a
    # little from run to run. A fixed seed makes two counts of the same build equal.
    environment = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
    with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as devnull:
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", "--dump-instr=no"] + command,
            stdin=stdin, stdout=devnull, stderr=subprocess.DEVNULL, check=True, env=environment)


class Profile:
    """Self and inclusive cost by function name, from a callgrind output file."""

    def __init__(self, path):
        self.self_cost, self.calls_cost, self.file_of, self.object_of = {}, {}, {}, {}
        self.total = 0
        names = {"fn": {}, "fl": {}, "ob": {}}
        current = {"fn": None, "fl": None, "ob": None}
        in_call = False
        with open(path, encoding="utf-8", errors="replace") as profile:
            for line in profile:
                if line.startswith(("summary:", "totals:")):
                    self.total = int(line.split()[1])
                    continue
                key, sep, rest = line.partition("=")
                if sep and key in ("fn", "fl", "ob", "fi", "fe", "cfn", "cfi", "cfl", "cob", "calls"):
                    if key == "calls":
                        in_call = True
                        continue
                    kind = {"fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl", "cfn": "fn", "cob": "ob"}.get(key, key)
                    name = self._name(names[kind], rest.strip())
                    if key in ("fn", "fl", "ob"):
                        current[key] = name
                        if key == "fn":
                            self.file_of.setdefault(name, current["fl"])
                            self.object_of.setdefault(name, current["ob"])
                    continue
                if not line or not (line[0].isdigit() or line[0] in "+-*"):
                    continue
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                table = self.calls_cost if in_call else self.self_cost
                table[current["fn"]] = table.get(current["fn"], 0) + cost
                in_call = False

    @staticmethod
    def _name(table, text):
        match = re.match(r"\((\d+)\)\s*(.*)$", text)
        if not match:
            return text
        if match.group(2):
            table[match.group(1)] = match.group(2)
        return table.get(match.group(1), text)

    def inclusive(self, name):
        return self.self_cost.get(name, 0) + self.calls_cost.get(name, 0)

    def rooted(self, prefixes):
        """Sum over prefixes of the largest inclusive cost among functions starting with it."""
        total = 0
        for prefix in prefixes:
            found = [self.inclusive(name) for name in set(self.self_cost) | set(self.calls_cost)
                     if name.startswith(prefix)]
            total += max(found, default=0)
        return total

    def self_where(self, predicate):
        return sum(cost for name, cost in self.self_cost.items() if predicate(name))

    def is_allocator(self, name):
        # By file where libc has debug information, by name where it has none (a static binary,
        # whose allocator is jemalloc's). GCC's clones (`.constprop.0`, `.part.0`) by their base.
        return "/malloc/" in (self.file_of.get(name) or "") or name in ALLOCATOR \
            or name.split(".")[0] in ALLOCATOR

    def is_libyaml(self, name):
        # libyaml's functions, exported or not, are all named yaml_…; in a static binary they
        # are not in a libyaml object of their own.
        return "libyaml" in (self.object_of.get(name) or "") or name.startswith("yaml_")


def is_refcount(name):
    return name.startswith(("swift_retain", "swift_release", "swift_bridgeObjectRetain", "swift_bridgeObjectRelease")) \
        or "RefCounts" in name


def demangled(names):
    tool = shutil.which("swift-demangle") or shutil.which("swift")
    if not tool or not names:
        return names
    command = [tool, "--simplified"] if tool.endswith("demangle") else [tool, "demangle", "--simplified"]
    try:
        out = subprocess.run(command, input="\n".join(names), capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return names
    lines = out.splitlines()
    return lines if len(lines) == len(names) else names


def phase_split(profile):
    libyaml = profile.rooted(LIBYAML_ROOTS)
    triage = profile.rooted(["$s16ShmfixKubernetes10KindTriageO"])
    encoding = profile.rooted(ENCODING)
    subtract = {"parse": libyaml, "triage": triage, "encoding": encoding}
    split = []
    for phase, roots, minus in PHASES:
        cost = profile.rooted(roots) - sum(subtract[m] for m in minus)
        split.append((phase, max(cost, 0)))
    split.append(("other (start-up, arguments, threads, ShmFixer glue)", profile.total - sum(c for _, c in split)))
    return split, libyaml


def startup(shmfix, flag, document, runs, out_dir):
    """Wall milliseconds (min, median) over RUNS runs, and instructions, for one document."""
    times = []
    for _ in range(runs):
        with open(document, "rb") as stdin, open(os.devnull, "wb") as devnull:
            began = time.perf_counter()
            subprocess.run([shmfix, flag], stdin=stdin, stdout=devnull, stderr=devnull, check=True)
            times.append((time.perf_counter() - began) * 1000)
    out_file = os.path.join(out_dir, "callgrind.startup.out")
    callgrind([shmfix, flag], document, out_file)
    return min(times), statistics.median(times), Profile(out_file).total


def report(args, size, shmfix, loop, split, libyaml, start, marginal):
    own = shmfix.total - libyaml
    ratio = shmfix.total / loop.total
    loop_libyaml = loop.rooted(LIBYAML_ROOTS)
    lines = [
        f"Instructions (callgrind; independent of machine load) on the first {size / 1e6:.2f} MB of the stream:",
        "",
        "| tool | instructions | per byte | × libyaml loop |",
        "|---|---|---|---|",
        f"| libyaml event-parse loop (C) | {loop.total:,} | {loop.total / size:.1f} | 1.00 |",
        f"| **shmfix** | {shmfix.total:,} | {shmfix.total / size:.1f} | **{ratio:.2f}** |",
        f"| shmfix inside libyaml (`yaml_parser_parse`, `yaml_event_delete`) | {libyaml:,} | {libyaml / size:.1f} | "
        f"{libyaml / loop.total:.2f} (the loop's own: {loop_libyaml:,}) |",
        f"| **shmfix's own work** (total − libyaml) | {own:,} | {own / size:.1f} | {own / loop.total:.2f} "
        f"({own / max(libyaml, 1):.0%} of its libyaml) |",
        "",
        "shmfix by phase (inclusive instructions of the functions doing it, without overlap; they add",
        "up to the total):",
        "",
        "| phase | instructions | per byte | share of shmfix |",
        "|---|---|---|---|",
    ]
    for phase, cost in split:
        lines.append(f"| {phase} | {cost:,} | {cost / size:.1f} | {cost / shmfix.total:.1%} |")
    lines += [
        "",
        "Across all phases (self cost):",
        "",
        "| | shmfix | libyaml loop |",
        "|---|---|---|",
        f"| malloc/free (the allocator: jemalloc in the static shmfix, glibc's in the loop) | {shmfix.self_where(shmfix.is_allocator):,} | {loop.self_where(loop.is_allocator):,} |",
        f"| retain/release (Swift runtime) | {shmfix.self_where(is_refcount):,} | 0 |",
        "",
    ]
    own_rows = sorted(((cost, name) for name, cost in shmfix.self_cost.items()
                       if not shmfix.is_libyaml(name) and not shmfix.is_allocator(name)), reverse=True)[:args.top]
    names = demangled([name for _, name in own_rows])
    lines += [f"shmfix's top {args.top} functions by self cost outside libyaml and malloc/free:", "",
              "| self instructions | function |", "|---|---|"]
    for (cost, _), name in zip(own_rows, names):
        lines.append(f"| {cost:,} | `{name[:160].replace('|', '/')}` |")
    if marginal:
        longer, shmfix_longer, loop_longer = marginal
        added = longer - size
        shmfix_added, loop_added = shmfix_longer - shmfix.total, loop_longer - loop.total
        lines += ["", f"On a long stream the fixed costs (start-up, argument parsing, threads) are paid once: what "
                  f"{added / 1e6:.2f} MB more of the stream costs (the first {longer / 1e6:.2f} MB less the first "
                  f"{size / 1e6:.2f} MB) is the cost per byte of the bench stream:", "",
                  "| tool | instructions for the added bytes | per byte | × libyaml loop |", "|---|---|---|---|",
                  f"| libyaml event-parse loop (C) | {loop_added:,} | {loop_added / added:.1f} | 1.00 |",
                  f"| **shmfix** | {shmfix_added:,} | {shmfix_added / added:.1f} | **{shmfix_added / loop_added:.3f}** |"]
    if start:
        best, median, instructions, length = start
        lines += ["", f"Start-up: one {length:,}-byte document alone: {best:.1f} ms min, {median:.1f} ms median "
                  f"wall over {args.startup_runs} runs; {instructions:,} instructions."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stream")
    parser.add_argument("shmfix")
    parser.add_argument("loop")
    parser.add_argument("out")
    parser.add_argument("--slice-mb", type=float, default=3.0)
    parser.add_argument("--flag", default="--shm-size=2gb")
    parser.add_argument("--startup-runs", type=int, default=20, help="0 skips the start-up figure")
    parser.add_argument("--startup-bytes", type=int, default=3000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--no-marginal", dest="marginal", action="store_false",
                        help="skip counting a slice twice as long (the cost per byte without fixed costs)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    slice_path = os.path.join(args.out, f"slice-{args.slice_mb:g}MB.yaml")
    size = cut_slice(args.stream, slice_path, args.slice_mb)
    shmfix_out = os.path.join(args.out, "callgrind.shmfix.out")
    loop_out = os.path.join(args.out, "callgrind.loop.out")
    callgrind([args.shmfix, args.flag], slice_path, shmfix_out)
    callgrind([args.loop, "-"], slice_path, loop_out)
    shmfix, loop = Profile(shmfix_out), Profile(loop_out)
    split, libyaml = phase_split(shmfix)
    marginal = None
    if args.marginal:
        # A slice twice as long, counted in total only: the difference is the cost of bytes alone.
        longer_path = os.path.join(args.out, f"slice-{2 * args.slice_mb:g}MB.yaml")
        longer = cut_slice(args.stream, longer_path, 2 * args.slice_mb)
        totals = []
        for command, name in (([args.shmfix, args.flag], "shmfix"), ([args.loop, "-"], "loop")):
            out_file = os.path.join(args.out, f"callgrind.{name}.longer.out")
            callgrind(command, longer_path, out_file)
            totals.append(Profile(out_file).total)
        if longer > size:
            marginal = (longer, totals[0], totals[1])
    start = None
    if args.startup_runs > 0:
        document = os.path.join(args.out, "startup-document.yaml")
        length = small_document(args.stream, document, args.startup_bytes)
        start = startup(args.shmfix, args.flag, document, args.startup_runs, args.out) + (length,)
    text = report(args, size, shmfix, loop, split, libyaml, start, marginal)
    sys.stdout.write(text)
    with open(os.path.join(args.out, "instructions.md"), "w") as sink:
        sink.write(text)
    with open(os.path.join(args.out, "instructions.json"), "w") as sink:
        json.dump({"slice_bytes": size, "shmfix": shmfix.total, "libyaml_loop": loop.total,
                   "ratio": shmfix.total / loop.total, "shmfix_libyaml": libyaml, "shmfix_own": shmfix.total - libyaml,
                   "phases": dict(split),
                   "marginal": None if not marginal else {"bytes": marginal[0] - size, "shmfix": marginal[1] - shmfix.total,
                                                          "libyaml_loop": marginal[2] - loop.total,
                                                          "ratio": (marginal[1] - shmfix.total) / (marginal[2] - loop.total)},
                   "startup": None if not start else {"bytes": start[3], "ms_min": start[0], "ms_median": start[1],
                                                      "instructions": start[2]}}, sink, indent=1)


if __name__ == "__main__":
    main()
