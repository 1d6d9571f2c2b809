#!/usr/bin/env python3
"""Build the kustomize equivalent of `shmfix --shm-size=SIZE` for a stream.

    kustomize_patches.py IN OUTDIR [--size 2Gi] [--volume-name dshm]

Writes OUTDIR/resources.yaml (a byte copy of IN) and OUTDIR/kustomization.yaml
with `resources: [resources.yaml]` and one `patches:` entry per workload: a
target (group, version, kind, name, namespace) and a JSON 6902 patch that adds
the memory-backed emptyDir volume and mounts it at /dev/shm in every container.
JSON 6902 cannot say "append, creating the array if needed", so each op is
written for the resource at hand: `add .../volumes/-` when `volumes` exists,
`add .../volumes` with the whole array when it does not, and the same for each
container's `volumeMounts` by index. This is what a user of kustomize has to
write by hand (per kind, per container index) to get what shmfix does.

Then: kubectl kustomize OUTDIR
"""
import argparse
import json
import os
import shutil
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

POD_SPEC_PATHS = {
    "Pod": ["spec"],
    "PodTemplate": ["template", "spec"],
    "Deployment": ["spec", "template", "spec"],
    "StatefulSet": ["spec", "template", "spec"],
    "DaemonSet": ["spec", "template", "spec"],
    "ReplicaSet": ["spec", "template", "spec"],
    "ReplicationController": ["spec", "template", "spec"],
    "Job": ["spec", "template", "spec"],
    "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}


def patch_for(doc, size, vname):
    path = POD_SPEC_PATHS.get(doc.get("kind"))
    if not path:
        return None
    spec = doc
    for k in path:
        spec = spec.get(k) if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or not spec.get("containers"):
        return None
    base = "/" + "/".join(path)
    volume = {"name": vname, "emptyDir": {"medium": "Memory", "sizeLimit": size}}
    mount = {"name": vname, "mountPath": "/dev/shm"}
    ops = []
    if spec.get("volumes"):
        ops.append({"op": "add", "path": f"{base}/volumes/-", "value": volume})
    else:
        ops.append({"op": "add", "path": f"{base}/volumes", "value": [volume]})
    for i, c in enumerate(spec["containers"]):
        if c.get("volumeMounts"):
            ops.append({"op": "add", "path": f"{base}/containers/{i}/volumeMounts/-", "value": mount})
        else:
            ops.append({"op": "add", "path": f"{base}/containers/{i}/volumeMounts", "value": [mount]})
    return ops


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("outdir")
    ap.add_argument("--size", default="2Gi", help="sizeLimit to write (default 2Gi)")
    ap.add_argument("--volume-name", default="dshm")
    a = ap.parse_args()

    os.makedirs(a.outdir, exist_ok=True)
    shutil.copyfile(a.input, os.path.join(a.outdir, "resources.yaml"))
    out = ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization",
           "resources:", "- resources.yaml", "patches:"]
    n_docs = n_patches = 0
    with open(a.input, "rb") as f:
        for doc in yaml.load_all(f, Loader=Loader):
            if not isinstance(doc, dict):
                continue
            n_docs += 1
            ops = patch_for(doc, a.size, a.volume_name)
            if ops is None:
                continue
            n_patches += 1
            group, _, version = doc["apiVersion"].rpartition("/")
            md = doc.get("metadata") or {}
            out.append("- target:")
            if group:
                out.append(f"    group: {group}")
            out.append(f"    version: {version}")
            out.append(f"    kind: {doc['kind']}")
            out.append(f"    name: {md['name']}")
            if md.get("namespace"):
                out.append(f"    namespace: {md['namespace']}")
            out.append("  patch: |-")
            out.append("    " + json.dumps(ops, separators=(",", ":")))
    if n_patches == 0:
        out[-1] = "patches: []"
    with open(os.path.join(a.outdir, "kustomization.yaml"), "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"kustomize_patches: {n_docs} resources, {n_patches} patches -> {a.outdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
