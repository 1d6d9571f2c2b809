#!/usr/bin/env python3
"""Self-tests of verify_fix.py: the oracle against hand-written cases.

    python3 Tests/verify/selftest.py [-v]

Each folder of Tests/verify/cases/ holds `original.yaml` (or `.json`) and
- `expected.*`: what shmfix must write; the oracle must accept it (with and without --canonical)
  and, taking it as the original, must expect it unchanged (a second run changes nothing),
- `conflict`: shmfix must refuse; the oracle must answer `conflict expected`,
- `wrong.*`: an output the oracle must reject (a case may have it beside either of the above),
- `args` (optional): oracle options, whitespace-separated (`--size 2Gi` unless given).
The cases are also checked once through `--batch`, options as the extra tab-separated fields.
Prints each failure and `N passed` (and `M failed`); exits 1 if any check failed.
"""
import glob, os, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "verify_fix.py")


def oracle(args):
    p = subprocess.run([sys.executable, ORACLE] + args, capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).strip()


def one(case, stem):
    found = sorted(glob.glob(os.path.join(case, stem + ".*")))
    return found[0] if found else None


def options(case):
    path = os.path.join(case, "args")
    args = shlex.split(open(path).read()) if os.path.exists(path) else []
    return args if "--size" in args else ["--size", "2Gi"] + args


def batch_fields(args):
    """--size/--volume-name go to columns 3 and 4, every other option to a field of its own."""
    size, name, extra, i = "", "", [], 0
    while i < len(args):
        if args[i] in ("--size", "--volume-name"):
            size, name = (args[i + 1], name) if args[i] == "--size" else (size, args[i + 1])
            i += 2
        elif args[i] in ("-c", "--container"):
            extra.append("%s %s" % (args[i], args[i + 1]))
            i += 2
        else:
            extra.append(args[i])
            i += 1
    return [size, name] + extra


def main():
    verbose = "-v" in sys.argv[1:]
    passed, failures, batch_good, batch_bad = 0, [], [], []

    def check(name, ok, detail):
        nonlocal passed
        if ok:
            passed += 1
            if verbose:
                print("ok   %s" % name)
        else:
            failures.append("FAIL %s: %s" % (name, detail))
            print(failures[-1])

    cases = sorted(d for d in glob.glob(os.path.join(HERE, "cases", "*")) if os.path.isdir(d))
    for case in cases:
        name = os.path.basename(case)
        original, expected, wrong = one(case, "original"), one(case, "expected"), one(case, "wrong")
        conflict = os.path.exists(os.path.join(case, "conflict"))
        args = options(case)
        if original is None or (expected is None) == (not conflict):
            check(name, False, "needs original.* and exactly one of expected.* / conflict")
            continue
        fields = batch_fields(args)
        if expected:
            for canon in ([], ["--canonical"]):
                rc, out = oracle(args + canon + [original, expected])
                check("%s expected%s" % (name, " --canonical" if canon else ""), rc == 0 and not out,
                      "exit %d: %s" % (rc, out))
            rc, out = oracle(args + ["--canonical", expected, expected])
            check("%s second run changes nothing" % name, rc == 0 and not out, "exit %d: %s" % (rc, out))
            batch_good.append([original, expected] + fields)
        if conflict:
            rc, out = oracle(args + [original, original])
            check("%s conflict" % name, rc == 1 and out.startswith("conflict expected"), "exit %d: %s" % (rc, out))
        if wrong:
            rc, out = oracle(args + [original, wrong])
            check("%s wrong output rejected" % name, rc == 1 and out, "exit %d: %s" % (rc, out or "accepted"))
            batch_bad.append([original, wrong] + fields)

    with tempfile.TemporaryDirectory() as tmp:
        for label, rows, want in (("batch of expected outputs", batch_good, (0, len(batch_good), 0)),
                                  ("batch of wrong outputs", batch_bad, (1, 0, len(batch_bad)))):
            listfile = os.path.join(tmp, "pairs.tsv")
            with open(listfile, "w") as f:
                f.write("# a comment line\n\n")
                f.writelines("\t".join(r) + "\n" for r in rows)
            rc, out = oracle(["--canonical", "--batch", listfile])
            last = out.splitlines()[-1] if out else ""
            check(label, rc == want[0] and last == "%d passed, %d failed" % want[1:], "exit %d: %s" % (rc, out))
        # an old 4-field line (no options) still works, `--container=NAME` fields work, a bad
        # option is a failed line
        listfile = os.path.join(tmp, "old.tsv")
        plain = os.path.join(HERE, "cases", "r10-readonly-shm-mount")
        named = os.path.join(HERE, "cases", "r9-native-sidecar-by-name")
        with open(listfile, "w") as f:
            f.write("%s\t%s\t2Gi\t\n" % (one(plain, "original"), one(plain, "expected")))
            f.write("%s\t%s\t2Gi\t\t--container=proxy\t--container=app\n" % (one(named, "original"), one(named, "expected")))
            f.write("%s\t%s\t2Gi\t\t--container=proxy\n" % (one(named, "original"), one(named, "expected")))
            f.write("%s\t%s\t2Gi\tdshm\t--no-such-option\n" % (one(plain, "original"), one(plain, "expected")))
        rc, out = oracle(["--batch", listfile])
        check("batch: 4-field line and --container= fields pass, a missed container and an unknown option fail",
              rc == 1 and out.endswith("2 passed, 2 failed") and "bad options" in out, "exit %d: %s" % (rc, out))

    print("%d passed" % passed + (", %d failed" % len(failures) if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
