#!/usr/bin/env python3
"""Start-up time and peak RSS of shmfix binaries on one small document (bench/startup.sh).

    startup.py --runs N --input FILE --expected FILE NAME=BINARY[:COPY] ...

Each binary (its installed COPY when given) runs `BINARY --shm-size=2gb -q < FILE` N times (after 5 warm-up runs), its output
checked against --expected. CPU time: the child's user + system time (wait4), which the load of
other processes does not inflate. Wall time: from just before posix_spawn to the reaping of the
child, so it includes the exec, the dynamic loader (for a dynamic binary) and the runtime's
start; /bin/true is timed the same way as the floor of this measurement. Peak RSS: GNU time's
%M (its own child's peak, not Python's), median of 5 runs. The last NAME=BINARY is held to the
targets: median ≤ 8 ms and peak RSS ≤ 12 MiB.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

TARGET_MS = 8.0
TARGET_MIB = 12.0


def wall_ms(argv, stdin_path, runs):
    """(min wall, median wall, median CPU) in ms; CPU is user + system time of the child alone."""
    times, cpu = [], []
    for index in range(runs + 5):
        with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as null:
            start = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[
                (os.POSIX_SPAWN_DUP2, stdin.fileno(), 0),
                (os.POSIX_SPAWN_DUP2, null.fileno(), 1),
            ])
            _, status, usage = os.wait4(pid, 0)
            elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"startup: {argv} exited {os.waitstatus_to_exitcode(status)}")
        if index >= 5:
            times.append(elapsed * 1000)
            cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    return min(times), statistics.median(times), statistics.median(cpu)


def peak_rss_mib(argv, stdin_path):
    samples = []
    for _ in range(5):
        with open(stdin_path, "rb") as stdin:
            result = subprocess.run(["/usr/bin/time", "-f", "%M", "--"] + argv, stdin=stdin,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
        samples.append(int(result.stderr.decode().strip().splitlines()[-1]) / 1024)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--input", required=True)
    parser.add_argument("--expected", required=True)
    parser.add_argument("binaries", nargs="+", help="NAME=PATH or NAME=PATH:INSTALLED_COPY")
    args = parser.parse_args()
    expected = open(args.expected, "rb").read()
    floor_min, floor_median, _ = wall_ms(["/bin/true"], args.input, args.runs)
    print(f"start-up on one document ({os.path.getsize(args.input)} bytes), {args.runs} runs each; "
          f"/bin/true: min {floor_min:.2f} ms, median {floor_median:.2f} ms; load average {os.getloadavg()[0]:.2f}")
    print("| binary | size | wall min | wall median | CPU median | peak RSS |")
    print("| --- | --- | --- | --- | --- | --- |")
    status = 0
    for index, entry in enumerate(args.binaries):
        name, paths = entry.split("=", 1)
        path, _, run = paths.partition(":")  # NAME=BUILT[:INSTALLED COPY TO RUN]
        argv = [os.path.abspath(run or path), "--shm-size=2gb", "-q"]
        with open(args.input, "rb") as stdin:
            output = subprocess.run(argv, stdin=stdin, capture_output=True).stdout
        if output != expected:
            print(f"startup: {name} ({path}) gave a wrong answer", file=sys.stderr)
            return 1
        low, median, cpu = wall_ms(argv, args.input, args.runs)
        rss = peak_rss_mib(argv, args.input)
        size = os.path.getsize(path) / (1 << 20)
        print(f"| {name} ({path}) | {size:.1f} MiB | {low:.2f} ms | {median:.2f} ms | {cpu:.2f} ms | {rss:.1f} MiB |")
        if index == len(args.binaries) - 1:
            verdict = []
            if median > TARGET_MS:
                verdict.append(f"median {median:.2f} ms > {TARGET_MS} ms")
            if rss > TARGET_MIB:
                verdict.append(f"peak RSS {rss:.1f} MiB > {TARGET_MIB} MiB")
            print(f"targets for {name} (≤ {TARGET_MS} ms, ≤ {TARGET_MIB} MiB): " + ("missed: " + "; ".join(verdict) if verdict else "met"))
            status = 2 if verdict else 0
    return status


if __name__ == "__main__":
    sys.exit(main())
