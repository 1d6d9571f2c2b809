#!/usr/bin/env python3
"""Check shmfix's output on a generated benchmark stream.

    check_output.py IN OUT SIZE [--volume-name dshm] [--stride K | --full] [--jobs N]

SIZE is the sizeLimit expected in the output, as written (e.g. 2Gi for
--shm-size=2gb). Both files are split into documents on `---` lines; the
document counts must match. Then:

* every document that is not a workload (by its top-level `kind:`) must be
  byte-identical to the input;
* every workload document must differ from the input only by inserted lines:
  the input's lines must be a subsequence of the output's, and every extra
  line must be one of the lines a dshm volume or mount is written with
  (`volumes:`, `volumeMounts:`, `- name: dshm`, `mountPath: /dev/shm`,
  `emptyDir:`, `medium: Memory`, `sizeLimit: SIZE`, or a flow mapping of them);
* the structure of workload documents: input and output are parsed (PyYAML,
  C loader) and the output must equal the input with exactly this done to each
  pod spec: `{name: dshm, emptyDir: {medium: Memory, sizeLimit: SIZE}}`
  appended to `volumes` (created if absent) and `{name: dshm, mountPath:
  /dev/shm}` appended to every container's `volumeMounts` (created if absent);
  init containers and everything else unchanged. Parsing runs at only a few
  MB/s in Python, so by default a fixed pseudo-random 1/K of the workload
  documents is parsed, with K chosen so that about 16 MB of input is parsed
  (every document for small streams); --full parses all of them. The text
  checks above cover all documents.

Prints `check: N documents, N workloads fixed, N unchanged, N errors` (unchanged
= non-workload documents passed through byte-identical) and exits 1 on any
error, listing the first ones with their document number, resource and line in
OUT.
"""
import argparse
import copy
import multiprocessing
import os
import random
import re
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

POD_SPEC_PATHS = {
    b"Pod": ["spec"],
    b"PodTemplate": ["template", "spec"],
    b"Deployment": ["spec", "template", "spec"],
    b"StatefulSet": ["spec", "template", "spec"],
    b"DaemonSet": ["spec", "template", "spec"],
    b"ReplicaSet": ["spec", "template", "spec"],
    b"ReplicationController": ["spec", "template", "spec"],
    b"Job": ["spec", "template", "spec"],
    b"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}
SEP = re.compile(rb"(?m)^---$")
KIND = re.compile(rb"(?m)^kind:[ \t]*['\"]?([A-Za-z0-9]+)")
NAME = re.compile(rb"(?m)^  name:[ \t]*(\S+)")
STRIDE_BUDGET = 16_000_000

# set in each worker by init()
VNAME = SIZE = ALLOWED = None


def init(vname, size):
    global VNAME, SIZE, ALLOWED
    VNAME, SIZE = vname, size
    q = "[\"']?"
    v, s = re.escape(vname), re.escape(size)
    block = [
        rf"(- )?name: {q}{v}{q}",
        rf"(- )?mountPath: {q}/dev/shm/?{q}",
        r"(- )?emptyDir:",
        rf"(- )?medium: {q}Memory{q}",
        rf"(- )?sizeLimit: {q}{s}{q}",
        r"volumes:",
        r"volumeMounts:",
    ]
    flow_token = rf"(name: {q}{v}{q}|mountPath: {q}/dev/shm/?{q}|medium: {q}Memory{q}|sizeLimit: {q}{s}{q}|emptyDir: )"
    flow = rf"(- |(emptyDir|volumes|volumeMounts): )?[\[{{]([\[{{}}\], ]|{flow_token})*"
    ALLOWED = re.compile(rf"^ *({'|'.join(block)}|{flow}) *\r?$")


def expected(doc_in, kind):
    want = copy.deepcopy(doc_in)
    spec = want
    for k in POD_SPEC_PATHS[kind]:
        spec = spec.get(k) if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or not spec.get("containers"):
        return want, False
    vols = spec.get("volumes") or []
    spec["volumes"] = vols + [{"name": VNAME, "emptyDir": {"medium": "Memory", "sizeLimit": SIZE}}]
    for c in spec["containers"]:
        c["volumeMounts"] = (c.get("volumeMounts") or []) + [{"name": VNAME, "mountPath": "/dev/shm"}]
    return want, True


def first_difference(a, b, path="$"):
    """A short description of where two parsed documents differ."""
    if type(a) is not type(b):
        return f"{path}: expected {a!r:.120}, got {b!r:.120}"
    if isinstance(a, dict):
        for k in a:
            if k not in b:
                return f"{path}.{k}: missing in output"
            if a[k] != b[k]:
                return first_difference(a[k], b[k], f"{path}.{k}")
        for k in b:
            if k not in a:
                return f"{path}.{k}: unexpected key {b[k]!r:.120}"
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: expected {len(a)} items, got {len(b)}: {b!r:.200}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: expected {a!r:.120}, got {b!r:.120}"


def check_workload(job):
    """Returns (index, error or None, parsed?)."""
    idx, kind, din, dout, parse = job
    if din == dout:
        return idx, "workload unchanged (no dshm volume added)", False
    lin, lout = din.split(b"\n"), dout.split(b"\n")
    j = 0
    extra = []
    for n, line in enumerate(lin):
        while j < len(lout) and lout[j] != line:
            extra.append(lout[j])
            j += 1
        if j == len(lout):
            return idx, f"input line {n + 1} of the document changed or missing: {line[:100]!r}", False
        j += 1
    extra.extend(lout[j:])
    for line in extra:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            return idx, f"inserted line is not UTF-8: {line[:100]!r}", False
        if not ALLOWED.match(text):
            return idx, f"unexpected inserted line: {text[:120]!r}", False
    if not parse:
        return idx, None, False
    try:
        pin = yaml.load(din, Loader=Loader)
    except yaml.YAMLError as e:
        return idx, f"input does not parse: {e}", True
    try:
        pout = yaml.load(dout, Loader=Loader)
    except yaml.YAMLError as e:
        return idx, f"output does not parse: {str(e)[:300]}", True
    want, has_pod = expected(pin, kind)
    if not has_pod:
        return idx, None, True
    if pout != want:
        return idx, "output structure: " + first_difference(want, pout), True
    return idx, None, True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("size", help="expected sizeLimit as written, e.g. 2Gi")
    ap.add_argument("--volume-name", default="dshm")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--stride", type=int, help="parse about 1 in K workload documents")
    g.add_argument("--full", action="store_true", help="parse every workload document")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max-errors", type=int, default=20, help="errors listed in full")
    a = ap.parse_args()

    with open(a.input, "rb") as f:
        din = f.read()
    with open(a.output, "rb") as f:
        dout = f.read()
    init(a.volume_name, a.size)

    pin, pout = SEP.split(din), SEP.split(dout)
    errors = []  # (doc index, message)
    if not dout:
        errors.append((None, "output is empty"))
    if len(pin) != len(pout):
        errors.append((None, f"{len(pin)} documents in input, {len(pout)} in output"))

    workloads = []
    unchanged = 0
    wl_bytes = 0
    for i, (x, y) in enumerate(zip(pin, pout)):
        m = KIND.search(x)
        kind = m.group(1) if m else None
        if kind in POD_SPEC_PATHS:
            workloads.append((i, kind))
            wl_bytes += len(x)
        elif x == y:
            unchanged += 1
        else:
            errors.append((i, "non-workload document changed"))

    stride = 1 if a.full else a.stride or max(1, -(-wl_bytes // STRIDE_BUDGET))
    pick = random.Random(len(workloads))  # a fixed sample that no simple index pattern aligns with
    jobs = [(i, kind, pin[i], pout[i], stride == 1 or pick.random() * stride < 1) for i, kind in workloads]
    fixed = parsed = 0
    if a.jobs > 1 and len(jobs) > 2000:
        with multiprocessing.Pool(a.jobs, initializer=init, initargs=(a.volume_name, a.size)) as pool:
            results = list(pool.imap_unordered(check_workload, jobs, chunksize=256))
    else:
        results = [check_workload(j) for j in jobs]
    for idx, err, was_parsed in results:
        parsed += was_parsed
        if err:
            errors.append((idx, err))
        else:
            fixed += 1

    errors.sort(key=lambda e: -1 if e[0] is None else e[0])
    if errors:
        starts = []  # byte offset of each output document, for line numbers
        off = 0
        for p in pout:
            starts.append(off)
            off += len(p) + 3
        for idx, msg in errors[: a.max_errors]:
            if idx is None:
                print(f"check: error: {msg}", file=sys.stderr)
                continue
            src = pout[idx] if idx < len(pout) else pin[idx]
            km, nm = KIND.search(src), NAME.search(src)
            res = f"{km.group(1).decode() if km else '?'}/{nm.group(1).decode() if nm else '?'}"
            line = "?"
            if idx < len(starts):
                line = dout.count(b"\n", 0, starts[idx]) + 1 + (idx > 0 and pout[idx].startswith(b"\n"))
            print(f"check: error: {a.output}:{line}: document {idx + 1} ({res}): {msg}", file=sys.stderr)
        if len(errors) > a.max_errors:
            print(f"check: ... and {len(errors) - a.max_errors} more errors", file=sys.stderr)
    print(f"check: {len(pin)} documents, {fixed} workloads fixed, {unchanged} unchanged, {len(errors)} errors"
          f" (structure parsed for {parsed} of {len(workloads)} workloads)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
