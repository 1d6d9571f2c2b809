#!/usr/bin/env python3
"""Time a command N times; report wall time and peak RSS of each run.

    timeit.py --runs N [--stdin FILE] [--stdout FILE] [--stderr FILE]
              [--name NAME] [--mb MB] [--json OUT.json [--append]] -- COMMAND [ARG ...]

Each run is a fresh child process whose stdin/stdout/stderr are the given
files (default /dev/null). Wall time is measured from just before the fork to
the reaping of the child.

Peak RSS: Linux keeps ru_maxrss across execve, and the child starts as a copy
of this Python process (fork or vfork), so the rusage of a child of Python
never reads below Python's own RSS (~15 MB). When GNU time is present
(/usr/bin/time, or $GNU_TIME), each run is therefore started as
`time -f %M -o FILE -- COMMAND`: GNU time is small and forks the command
itself, so %M is the command's own peak. Otherwise the child is reaped with
os.wait4(), whose ru_maxrss is that one run's peak (not a running maximum as
getrusage(RUSAGE_CHILDREN) would give) but floored at Python's RSS; the JSON
says which method was used ("rss_method").

With --append, the runs already in OUT.json are kept and these are added to them: run.sh
times the tools in alternation, one run each per round, so that a slow spell of the machine
falls on all of them rather than on whichever ran during it.

Prints one line per run on stderr and, with --json, writes
{"name", "mb", "cmd", "runs": [{"wall_s", "maxrss_kb", "rc"}], "min_s",
"median_s", "maxrss_kb", "ok"}. Exits 1 when any run exits non-zero (after
printing the tail of its stderr file); remaining runs are skipped.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def tail(path, n=15):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 4000))
            return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
    except OSError:
        return ""


def gnu_time():
    path = os.environ.get("GNU_TIME", "/usr/bin/time")
    try:
        r = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "GNU" in r.stdout + r.stderr else None


def run_once(cmd, stdin, stdout, stderr, timer):
    rss_file = None
    if timer:
        fd, rss_file = tempfile.mkstemp(prefix="timeit-rss-")
        os.close(fd)
        cmd = [timer, "-f", "%M", "-o", rss_file, "--"] + cmd
    try:
        with open(stdin or os.devnull, "rb") as i, open(stdout or os.devnull, "wb") as o, \
                open(stderr or os.devnull, "wb") as e:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdin=i, stdout=o, stderr=e)
            _, status, ru = os.wait4(p.pid, 0)
            t1 = time.perf_counter()
            p.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
        rss = ru.ru_maxrss
        if rss_file:
            # "Command exited with non-zero status N" may come first; %M is the last line.
            with open(rss_file) as f:
                lines = f.read().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
            if p.returncode == 127 and rss is None:
                raise OSError(f"{cmd[5]}: command not found or not executable")
    finally:
        if rss_file:
            os.unlink(rss_file)
    return t1 - t0, rss, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--stdin")
    ap.add_argument("--stdout")
    ap.add_argument("--stderr")
    ap.add_argument("--name", default=None)
    ap.add_argument("--mb", type=float, default=None, help="input size in MB, for the report")
    ap.add_argument("--json")
    ap.add_argument("--append", action="store_true", help="add to the runs already in --json")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    name = a.name or os.path.basename(cmd[0])
    timer = gnu_time()
    runs = []
    ok = True
    if a.append and a.json and os.path.exists(a.json):
        with open(a.json) as f:
            previous = json.load(f)
        runs, ok = previous["runs"], previous["ok"]
        if not ok:
            sys.exit(1)
    for n in range(len(runs), len(runs) + a.runs):
        try:
            wall, rss, rc = run_once(cmd, a.stdin, a.stdout, a.stderr, timer)
        except OSError as ex:
            print(f"timeit: {name}: cannot run {cmd[0]}: {ex}", file=sys.stderr)
            ok = False
            break
        runs.append({"wall_s": round(wall, 4), "maxrss_kb": rss, "rc": rc})
        rss_text = "?" if rss is None else f"{rss / 1024:.1f} MiB"
        print(f"timeit: {name} run {n + 1}: {wall:.3f} s, peak RSS {rss_text}, exit {rc}",
              file=sys.stderr)
        if rc != 0:
            ok = False
            print(f"timeit: {name} exited with status {rc}; last lines of its stderr:", file=sys.stderr)
            t = tail(a.stderr) if a.stderr else ""
            print(t or "  (stderr not captured or empty)", file=sys.stderr)
            break
    walls = [r["wall_s"] for r in runs if r["rc"] == 0]
    result = {
        "name": name,
        "mb": a.mb,
        "cmd": cmd,
        "runs": runs,
        "min_s": min(walls) if walls else None,
        "median_s": statistics.median(walls) if walls else None,
        "maxrss_kb": max((r["maxrss_kb"] for r in runs if r["maxrss_kb"] is not None), default=None),
        "rss_method": f"GNU time %M ({timer})" if timer else "os.wait4 ru_maxrss (floored at the harness's own RSS)",
        "ok": ok,
    }
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
