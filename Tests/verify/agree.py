#!/usr/bin/env python3
"""shmfix against the oracle on every self-test case: shmfix's output must satisfy the oracle
(or shmfix must refuse, exit 2, where the case says `conflict`).

    python3 Tests/verify/agree.py SHMFIX_BINARY

Prints each disagreement and `N agree`; exits 1 on any disagreement.
"""
import glob, os, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def shmfix_args(oracle_args):
    args, size, i = [], "2Gi", 0
    while i < len(oracle_args):
        a = oracle_args[i]
        if a == "--size":
            size = oracle_args[i + 1]; i += 2; continue
        if a in ("--volume-name", "-c", "--container"):
            args += [a, oracle_args[i + 1]]; i += 2; continue
        args.append(a); i += 1
    return ["--shm-size=" + size] + args


def main():
    binary = sys.argv[1]
    agree, failures = 0, []
    for case in sorted(glob.glob(os.path.join(HERE, "cases", "*"))):
        name = os.path.basename(case)
        original = sorted(glob.glob(os.path.join(case, "original.*")))[0]
        oracle_args = shlex.split(open(os.path.join(case, "args")).read()) if os.path.exists(os.path.join(case, "args")) else []
        run = subprocess.run([binary, "-q"] + shmfix_args(oracle_args) + [original], capture_output=True)
        if os.path.exists(os.path.join(case, "conflict")):
            if run.returncode == 2 and not run.stdout:
                agree += 1
            else:
                failures.append(f"{name}: expected a refusal (exit 2), got exit {run.returncode}")
            continue
        if run.returncode != 0:
            failures.append(f"{name}: shmfix exit {run.returncode}: {run.stderr.decode(errors='replace').strip()}")
            continue
        suffix = os.path.splitext(original)[1]
        with tempfile.NamedTemporaryFile(suffix=suffix) as output:
            output.write(run.stdout)
            output.flush()
            sized = oracle_args if "--size" in oracle_args else ["--size", "2Gi"] + oracle_args
            verdict = subprocess.run([sys.executable, os.path.join(HERE, "verify_fix.py")] + sized + [original, output.name],
                                     capture_output=True, text=True)
        if verdict.returncode == 0:
            agree += 1
        else:
            failures.append(f"{name}: the oracle disagrees: {(verdict.stdout + verdict.stderr).strip()}")
    for failure in failures:
        print("DISAGREE " + failure)
    print(f"{agree} agree" + (f", {len(failures)} disagree" if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
