#!/usr/bin/env python3
"""Deterministic Kubernetes manifest stream generator for the shmfix benchmark.

    generate.py SIZE_BYTES OUT [--seed N]

Writes a stream of ~2 KB documents separated by `---` lines until SIZE_BYTES is
reached (the last document may overshoot by one document). About 3/4 of the
documents are workloads (Deployment, StatefulSet, Job, CronJob) with comments
(some non-ASCII), 1-3 containers, some with existing `volumes` / `volumeMounts`
lists and some without; the rest are Services and ConfigMaps. Block style,
2-space indentation; each document uses either kubectl-style sequences
(`- ` at the parent key's column) or indented ones (`- ` two columns in).

Every resource has a unique name (kubectl kustomize requires it). No document
mounts anything at /dev/shm yet, so every workload must be changed by shmfix
and every other document must come out byte-identical. The same SIZE and seed
always give the same bytes.
"""
import argparse
import random
import sys

WORKLOAD_KINDS = [("Deployment", 40), ("StatefulSet", 20), ("Job", 20), ("CronJob", 20)]
OTHER_KINDS = [("Service", 60), ("ConfigMap", 40)]

APPS = ["web", "api", "worker", "trainer", "vllm", "ray-head", "etl", "indexer", "cache", "batch"]
TEAMS = ["ml-platform", "search", "payments", "inference", "data-eng", "shop"]
IMAGES = [
    "registry.example.com/ml/vllm-openai:v0.6.3",
    "nvcr.io/nvidia/pytorch:24.08-py3",
    "ghcr.io/example/api-server:1.14.2",
    "docker.io/library/nginx:1.27-alpine",
    "quay.io/example/worker@sha256:4f9c1a0d3b2e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1",
    "registry.example.com/data/etl-runner:2024.11.02",
]
ASCII_COMMENTS = [
    "# NCCL needs more than the 64 MiB default /dev/shm",
    "# managed by platform team, do not edit by hand",
    "# TODO: move resources into a LimitRange",
    "# see runbook https://wiki.example.com/runbooks/inference",
    "# keep replicas in sync with the HPA minReplicas",
    "# sidecar injected by the mesh at admission time",
]
UNICODE_COMMENTS = [
    "# Größe für /dev/shm prüfen — NCCL braucht mehr Speicher",
    "# 共享内存不足会导致 DataLoader 崩溃",
    "# メモリ制限を確認してください",
    "# mémoire partagée: voir la procédure d'exploitation",
    "# ⚠️ не менять без согласования с командой 🚀",
    "# Ελέγξτε το όριο μνήμης πριν την ανάπτυξη",
]
ENV_NAMES = [
    "LOG_LEVEL", "OMP_NUM_THREADS", "NCCL_DEBUG", "HF_HOME", "PYTHONUNBUFFERED", "FEATURE_FLAGS",
    "OTEL_EXPORTER_OTLP_ENDPOINT", "DATABASE_URL", "CACHE_TTL_SECONDS", "WORKERS", "REGION",
    "TORCH_CUDA_ARCH_LIST", "MAX_BATCH_SIZE", "GRPC_PORT", "HTTP_PORT", "TZ",
]
ENV_VALUES = [
    '"info"', '"8"', "WARN", "/cache/huggingface", '"1"', "alpha,beta,gamma-rollout",
    "http://otel-collector.observability.svc:4317", "postgres://db.example.internal:5432/app",
    '"3600"', '"4"', "eu-west-1", '"8.0;8.6;9.0"', '"256"', '"9090"', '"8080"', "Europe/Berlin",
]


def pick_weighted(rng, table):
    total = sum(w for _, w in table)
    x = rng.randrange(total)
    for item, w in table:
        if x < w:
            return item
        x -= w
    return table[-1][0]


class Doc:
    """Line builder. `seq(ind)` is the column of `- ` for a list under a key at `ind`."""

    def __init__(self, kubectl_style):
        self.lines = []
        self.kubectl = kubectl_style

    def add(self, ind, text):
        self.lines.append(" " * ind + text)

    def seq(self, ind):
        return ind if self.kubectl else ind + 2

    def text(self):
        return "\n".join(self.lines) + "\n"


def comment(rng, unicode_share=0.35):
    if rng.random() < unicode_share:
        return rng.choice(UNICODE_COMMENTS)
    return rng.choice(ASCII_COMMENTS)


def emit_metadata(d, rng, name, ns, labels_extra=0, annotations=0):
    d.add(0, "metadata:")
    d.add(2, f"name: {name}")
    d.add(2, f"namespace: {ns}")
    d.add(2, "labels:")
    d.add(4, f"app.kubernetes.io/name: {name}")
    d.add(4, f"app.kubernetes.io/part-of: {ns}")
    for i in range(labels_extra):
        d.add(4, f"example.com/label-{i}: value-{rng.randrange(1000)}")
    if annotations:
        d.add(2, "annotations:")
        for i in range(annotations):
            d.add(4, f'example.com/note-{i}: "generated for the shmfix benchmark #{rng.randrange(10**6)}"')


def emit_container(d, rng, ind, c, vol_names):
    """Container mapping as a sequence item whose `- ` is at column `ind`."""
    k = ind + 2  # key column inside the item
    d.add(ind, f"- name: {c['name']}")
    d.add(k, f"image: {c['image']}")
    d.add(k, "imagePullPolicy: IfNotPresent")
    if c["comment"]:
        d.add(k, c["comment"])
    if c["args"]:
        d.add(k, "args:")
        s = d.seq(k)
        for a in c["args"]:
            d.add(s, f"- {a}")
    d.add(k, "ports:")
    s = d.seq(k)
    d.add(s, f"- name: http")
    d.add(s + 2, f"containerPort: {c['port']}")
    d.add(s + 2, "protocol: TCP")
    if c["env"]:
        d.add(k, "env:")
        s = d.seq(k)
        for i in range(c["env"]):
            j = (c["env_base"] + i) % len(ENV_NAMES)
            if i == 1:
                d.add(s, f"- name: POD_NAME")
                d.add(s + 2, "valueFrom:")
                d.add(s + 4, "fieldRef:")
                d.add(s + 6, "fieldPath: metadata.name")
                continue
            d.add(s, f"- name: {ENV_NAMES[j]}_{i}")
            d.add(s + 2, f"value: {ENV_VALUES[j]}")
    d.add(k, "resources:")
    d.add(k + 2, "requests:")
    d.add(k + 4, f'cpu: {c["cpu"]}')
    d.add(k + 4, f"memory: {c['mem_req']}")
    if c["mem_limit"]:
        d.add(k + 2, "limits:")
        d.add(k + 4, f"memory: {c['mem_limit']}")
        if c["gpu"]:
            d.add(k + 4, 'nvidia.com/gpu: "1"')
    if c["mounts"] and vol_names:
        d.add(k, "volumeMounts:")
        s = d.seq(k)
        for v in vol_names[: c["mounts"]]:
            d.add(s, f"- name: {v}")
            d.add(s + 2, f"mountPath: /mnt/{v}")
            if v == "config":
                d.add(s + 2, "readOnly: true")
    if c["trailing_comment"]:
        d.add(k, c["trailing_comment"])


def emit_volumes(d, rng, ind, vol_names, uid, trailing_comment):
    d.add(ind, "volumes:")
    s = d.seq(ind)
    for v in vol_names:
        d.add(s, f"- name: {v}")
        if v == "config":
            d.add(s + 2, "configMap:")
            d.add(s + 4, f"name: cfg-{uid}")
        elif v == "data":
            d.add(s + 2, "persistentVolumeClaim:")
            d.add(s + 4, f"claimName: data-{uid}")
        else:
            d.add(s + 2, "emptyDir: {}")
    if trailing_comment:
        d.add(s + 2 if rng.random() < 0.5 else ind, trailing_comment)


def emit_podspec(d, rng, ind, p, uid):
    """Pod spec mapping with keys at column `ind` (the `spec:` line is already written)."""
    if p["comment"]:
        d.add(ind, p["comment"])
    if p["sa"]:
        d.add(ind, f"serviceAccountName: {p['sa']}")
    if p["restart"]:
        d.add(ind, f"restartPolicy: {p['restart']}")
    d.add(ind, "terminationGracePeriodSeconds: 30")
    d.add(ind, "nodeSelector:")
    d.add(ind + 2, "kubernetes.io/os: linux")
    if p["volumes_first"] and p["volumes"]:
        emit_volumes(d, rng, ind, p["volumes"], uid, p["vol_trailing"])
    if p["init"]:
        d.add(ind, "initContainers:")
        s = d.seq(ind)
        d.add(s, "- name: init-perms")
        d.add(s + 2, "image: docker.io/library/busybox:1.36")
        d.add(s + 2, 'command: ["sh", "-c", "chown -R 1000:1000 /work"]')
        if p["volumes"]:
            d.add(s + 2, "volumeMounts:")
            s2 = d.seq(s + 2)
            d.add(s2, f"- name: {p['volumes'][0]}")
            d.add(s2 + 2, "mountPath: /work")
    d.add(ind, "containers:")
    s = d.seq(ind)
    for c in p["containers"]:
        emit_container(d, rng, s, c, p["volumes"])
    if not p["volumes_first"] and p["volumes"]:
        emit_volumes(d, rng, ind, p["volumes"], uid, p["vol_trailing"])
    if p["tolerations"]:
        d.add(ind, "tolerations:")
        s = d.seq(ind)
        d.add(s, "- key: nvidia.com/gpu")
        d.add(s + 2, "operator: Exists")
        d.add(s + 2, "effect: NoSchedule")


def make_podspec(rng, kind, env_total):
    n = rng.choice([1, 1, 1, 2, 2, 3])
    has_vol = rng.random() < 0.5
    volumes = []
    if has_vol:
        volumes = rng.sample(["data", "config", "cache", "scratch"], rng.choice([1, 1, 2, 3]))
    limits = rng.random() < 0.9
    containers = []
    for i in range(n):
        containers.append({
            "name": ["app", "sidecar", "metrics"][i],
            "image": rng.choice(IMAGES),
            "comment": comment(rng) if rng.random() < 0.3 else None,
            "args": [f"--port={8080 + i}", "--log-format=json"] if rng.random() < 0.6 else [],
            "port": 8080 + i,
            "env": 0,
            "env_base": rng.randrange(len(ENV_NAMES)),
            "cpu": rng.choice(['"1"', "500m", '"2"', "250m"]),
            "mem_req": rng.choice(["512Mi", "1Gi", "2Gi"]),
            "mem_limit": rng.choice(["4Gi", "8Gi", "16Gi", "3Gi"]) if limits else None,
            "gpu": i == 0 and rng.random() < 0.3,
            "mounts": rng.randint(1, len(volumes)) if volumes and rng.random() < 0.7 else 0,
            "trailing_comment": comment(rng) if rng.random() < 0.1 else None,
        })
    for i in range(env_total):
        containers[i % n]["env"] += 1
    return {
        "comment": comment(rng) if rng.random() < 0.5 else None,
        "sa": f"sa-{rng.choice(TEAMS)}" if rng.random() < 0.5 else None,
        "restart": "OnFailure" if kind in ("Job", "CronJob") else None,
        "volumes": volumes,
        "volumes_first": rng.random() < 0.15,
        "vol_trailing": comment(rng) if volumes and rng.random() < 0.2 else None,
        "init": rng.random() < 0.15,
        "tolerations": rng.random() < 0.3,
        "containers": containers,
    }


def render_workload(rng_seed, kind, uid, kubectl_style, env_total):
    rng = random.Random(rng_seed)
    name = f"{rng.choice(APPS)}-{uid}"
    ns = rng.choice(TEAMS)
    d = Doc(kubectl_style)
    if rng.random() < 0.5:
        d.add(0, f"# Source: {ns}/templates/{name}.yaml")
    if rng.random() < 0.3:
        d.add(0, comment(rng, 0.6))
    api = {"Deployment": "apps/v1", "StatefulSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1"}[kind]
    d.add(0, f"apiVersion: {api}")
    d.add(0, f"kind: {kind}")
    emit_metadata(d, rng, name, ns, labels_extra=rng.randrange(3), annotations=rng.randrange(2))
    if rng.random() < 0.2:
        d.lines.append("")
    d.add(0, "spec:")
    p = make_podspec(rng, kind, env_total)
    if kind == "CronJob":
        d.add(2, f'schedule: "{rng.randrange(60)} */{rng.choice([1, 2, 6])} * * *"')
        d.add(2, "concurrencyPolicy: Forbid")
        d.add(2, "jobTemplate:")
        d.add(4, "spec:")
        d.add(6, "backoffLimit: 2")
        base = 6
    else:
        base = 2
        if kind in ("Deployment", "StatefulSet"):
            d.add(2, f"replicas: {rng.randint(1, 8)}")
        if kind == "StatefulSet":
            d.add(2, f"serviceName: {name}")
        if kind == "Job":
            d.add(2, "backoffLimit: 4")
            d.add(2, "completions: 1")
        if kind != "Job":
            d.add(2, "selector:")
            d.add(4, "matchLabels:")
            d.add(6, f"app.kubernetes.io/name: {name}")
    d.add(base, "template:")
    d.add(base + 2, "metadata:")
    d.add(base + 4, "labels:")
    d.add(base + 6, f"app.kubernetes.io/name: {name}")
    if rng.random() < 0.4:
        d.add(base + 4, "annotations:")
        d.add(base + 6, 'prometheus.io/scrape: "true"')
    d.add(base + 2, "spec:")
    emit_podspec(d, rng, base + 4, p, uid)
    if kind == "StatefulSet":
        d.add(2, "volumeClaimTemplates:")
        s = d.seq(2)
        d.add(s, "- metadata:")
        d.add(s + 4, f"name: pvc-{uid}")
        d.add(s + 2, "spec:")
        d.add(s + 4, "accessModes: [ReadWriteOnce]")
        d.add(s + 4, "resources:")
        d.add(s + 6, "requests:")
        d.add(s + 8, "storage: 10Gi")
    if rng.random() < 0.15:
        d.add(0, comment(rng))
    return d.text()


def render_service(rng, uid, kubectl_style, target):
    name = f"svc-{uid}"
    ns = rng.choice(TEAMS)
    d = Doc(kubectl_style)
    if rng.random() < 0.5:
        d.add(0, f"# Source: {ns}/templates/{name}.yaml")
    d.add(0, "apiVersion: v1")
    d.add(0, "kind: Service")
    emit_metadata(d, rng, name, ns, labels_extra=rng.randrange(4), annotations=rng.randrange(6))
    d.add(0, "spec:")
    d.add(2, "type: ClusterIP")
    d.add(2, "selector:")
    d.add(4, f"app.kubernetes.io/name: {name}")
    d.add(2, "ports:")
    s = d.seq(2)
    i = 0
    while True:
        d.add(s, f"- name: port-{i}")
        d.add(s + 2, f"port: {8000 + i}")
        d.add(s + 2, f"targetPort: {9000 + i}")
        d.add(s + 2, "protocol: TCP")
        i += 1
        if sum(len(l) + 1 for l in d.lines) >= target or i >= 60:
            break
    if rng.random() < 0.3:
        d.add(2, comment(rng))
    return d.text()


def render_configmap(rng, uid, kubectl_style, target):
    name = f"cfg-{uid}"
    ns = rng.choice(TEAMS)
    d = Doc(kubectl_style)
    d.add(0, "apiVersion: v1")
    d.add(0, "kind: ConfigMap")
    emit_metadata(d, rng, name, ns)
    d.add(0, "data:")
    d.add(2, 'LOG_LEVEL: "debug"')
    # An embedded pod spec in a block scalar: a tool must not touch it.
    d.add(2, "pod-template.yaml: |")
    d.add(4, "# embedded manifest, not a resource")
    d.add(4, "spec:")
    d.add(6, "containers:")
    d.add(6, "- name: app")
    d.add(8, "image: docker.io/library/busybox:1.36")
    d.add(2, "settings.ini: |")
    i = 0
    while sum(len(l) + 1 for l in d.lines) < target and i < 200:
        d.add(4, f"[section{i}]")
        d.add(4, f"key_{i} = value {rng.randrange(10**9)} ; {comment(rng, 0.3)[2:]}")
        i += 1
    return d.text()


def generate(size, out, seed):
    rng = random.Random(seed)
    written = 0
    uid = 0
    first = True
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        while written < size:
            uid += 1
            u = f"{uid:06d}"
            kubectl_style = rng.random() < 0.5
            target = int(rng.triangular(1400, 2700, 1900))
            if rng.random() < 0.75:
                kind = pick_weighted(rng, WORKLOAD_KINDS)
                s = rng.getrandbits(64)
                base = render_workload(s, kind, u, kubectl_style, 0)
                # each env entry is ~50 bytes per line pair; grow to the target size
                per = 44 + 4 * 2 + (0 if kubectl_style else 2) * 2 + 10
                extra = max(0, (target - len(base.encode())) // per)
                text = render_workload(s, kind, u, kubectl_style, extra) if extra else base
            elif pick_weighted(rng, OTHER_KINDS) == "Service":
                text = render_service(rng, u, kubectl_style, target)
            else:
                text = render_configmap(rng, u, kubectl_style, target)
            if not first:
                text = "---\n" + text
            first = False
            f.write(text)
            written += len(text.encode("utf-8"))
    return uid, written


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", type=int, help="target size in bytes")
    ap.add_argument("out", help="output file")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    docs, written = generate(a.size, a.out, a.seed)
    print(f"generate: {docs} documents, {written} bytes -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
