#!/usr/bin/env python3
"""A slow stand-in for shmfix, for testing the benchmark harness only.

    reference_fix.py --shm-size=2gb < generated.yaml > fixed.yaml

Handles exactly what generate.py writes (block style, one pod spec per
workload kind, no existing /dev/shm mount) and nothing else: it is no
implementation of the product. It exists so that run.sh and check_output.py
can be shown to pass on a correct answer before shmfix exists:

    SHMFIX=bench/reference_fix.py SIZE_MB=5 KUSTOMIZE_MB=0.2 bash bench/run.sh

Only --shm-size=2gb / 2g / 2Gi is understood (written as 2Gi).
"""
import re
import sys

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PATHS = {
    "Deployment": ["spec", "template", "spec"],
    "StatefulSet": ["spec", "template", "spec"],
    "Job": ["spec", "template", "spec"],
    "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}
SEP = re.compile(r"(?m)^---$")


def get(node, key):
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def last_line(node):
    if isinstance(node, ScalarNode) or node.flow_style or not node.value:
        m = node.end_mark
        return m.line if m.column > 0 else m.line - 1
    if isinstance(node, MappingNode):
        return last_line(node.value[-1][1])
    return last_line(node.value[-1])


def fix_doc(text, vname, size):
    root = yaml.compose(text, Loader=Loader)
    kind = get(root, "kind")
    if kind is None or kind.value not in PATHS:
        return text
    pod = root
    for k in PATHS[kind.value]:
        pod = get(pod, k)
    containers = get(pod, "containers")
    if not isinstance(containers, SequenceNode) or not containers.value:
        return text
    c = pod.start_mark.column
    ckey = next(k for k, _ in pod.value if k.value == "containers")
    offset = containers.value[0].start_mark.column - 2 - ckey.start_mark.column
    inserts = []  # (after line, order, lines)
    for n, cont in enumerate(containers.value):
        k = cont.start_mark.column
        vm = get(cont, "volumeMounts")
        if isinstance(vm, SequenceNode) and vm.value:
            dash = vm.value[0].start_mark.column - 2
            lines = []
        else:
            dash = k + offset
            lines = [" " * k + "volumeMounts:"]
            vm = cont
        lines += [" " * dash + f"- name: {vname}", " " * dash + "  mountPath: /dev/shm"]
        inserts.append((last_line(vm), n, lines))
    vols = get(pod, "volumes")
    if isinstance(vols, SequenceNode) and vols.value:
        dash = vols.value[0].start_mark.column - 2
        lines = []
        after = last_line(vols)
    else:
        dash = c + offset
        lines = [" " * c + "volumes:"]
        after = last_line(pod)
    lines += [" " * dash + f"- name: {vname}", " " * dash + "  emptyDir:",
              " " * dash + "    medium: Memory", " " * dash + f"    sizeLimit: {size}"]
    inserts.append((after, len(containers.value), lines))
    inserts.sort()
    src = text.split("\n")
    out = []
    i = 0
    for after, _, lines in inserts:
        out.extend(src[i:after + 1])
        i = after + 1
        out.extend(lines)
    out.extend(src[i:])
    return "\n".join(out)


def main():
    size = None
    for a in sys.argv[1:]:
        if a.startswith("--shm-size="):
            size = {"2gb": "2Gi", "2g": "2Gi", "2gi": "2Gi"}.get(a.split("=", 1)[1].lower())
    if not size:
        sys.exit("reference_fix: only --shm-size=2gb is supported")
    data = sys.stdin.buffer.read().decode("utf-8")
    docs = SEP.split(data)
    sys.stdout.buffer.write("---".join(fix_doc(d, "dshm", size) for d in docs).encode("utf-8"))


if __name__ == "__main__":
    main()
