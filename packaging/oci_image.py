#!/usr/bin/env python3
"""make image: an OCI image of the static shmfix, written without a container daemon.

    oci_image.py --binary PATH --version V --arch amd64 --name localhost/shmfix --out DIR

DIR becomes an OCI image layout (oci-layout, index.json, blobs/sha256/...) holding one image
tagged V; DIR.tar is the same layout as one file for `docker load` / `podman load`. The image
has one layer and nothing in it but what a KRM function or a plugin sidecar needs:

    /usr/local/bin/shmfix   the static executable (the entrypoint; no shell, no libc)
    /etc/passwd, /etc/group root, nobody (65534, what `kpt fn eval --image` runs as: docker
                            resolves `--user nobody` in the image's own /etc/passwd) and
                            shmfix (65532, the image's default user)
    /tmp                    mode 1777, for the output spool of large streams

Every byte is a function of the binary, the version and SOURCE_DATE_EPOCH (entries sorted,
owned by 0:0, gzip without name or time), so the same binary gives the same image digest.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import time

ENTRYPOINT = "/usr/local/bin/shmfix"
USER = "65532:65532"
# /etc/passwd and /etc/group of the image, shared with the Containerfile.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ETC = os.path.join(ROOT, "packaging", "image", "etc")
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def layer_tar(binary, epoch):
    """The layer as an uncompressed tar (bytes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name, mode, data=None):
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "", ""
            info.mode = mode
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

        def read(path):
            with open(path, "rb") as f:
                return f.read()

        add("etc/", 0o755)
        add("etc/group", 0o644, read(os.path.join(ETC, "group")))
        add("etc/passwd", 0o644, read(os.path.join(ETC, "passwd")))
        add("tmp/", 0o1777)
        add("usr/", 0o755)
        add("usr/local/", 0o755)
        add("usr/local/bin/", 0o755)
        add("usr/local/bin/shmfix", 0o755, read(binary))
        # The licences of what the binary contains (LICENSE: shmfix; THIRD_PARTY_NOTICES:
        # libyaml and jemalloc, linked into it).
        add("usr/local/share/", 0o755)
        add("usr/local/share/doc/", 0o755)
        add("usr/local/share/doc/shmfix/", 0o755)
        add("usr/local/share/doc/shmfix/LICENSE", 0o644, read(os.path.join(ROOT, "LICENSE")))
        add("usr/local/share/doc/shmfix/THIRD_PARTY_NOTICES", 0o644, read(os.path.join(ROOT, "packaging", "THIRD_PARTY_NOTICES")))
    return buffer.getvalue()


def blob(layout, data):
    """Stores data as a blob; returns its digest."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest.split(":")[1])
    with open(path, "wb") as f:
        f.write(data)
    return digest


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def build(args):
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    layout = args.out
    shutil.rmtree(layout, ignore_errors=True)
    os.makedirs(os.path.join(layout, "blobs", "sha256"))

    tar = layer_tar(args.binary, epoch)
    compressed = gzip.compress(tar, compresslevel=9, mtime=0)
    layer_digest = blob(layout, compressed)
    labels = {
        "org.opencontainers.image.title": "shmfix",
        "org.opencontainers.image.description": "Adds a memory-backed /dev/shm to every pod spec; a KRM function (kpt fn eval --image)",
        "org.opencontainers.image.version": args.version,
        "org.opencontainers.image.licenses": "Apache-2.0",
    }
    config = {
        "architecture": args.arch,
        "os": "linux",
        "created": created,
        "config": {
            "User": USER,
            "Entrypoint": [ENTRYPOINT],
            "Env": ["PATH=/usr/local/bin"],
            "WorkingDir": "/",
            "Labels": labels,
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar).hexdigest()]},
        "history": [{"created": created, "created_by": "make image (packaging/oci_image.py)"}],
    }
    config_bytes = canonical(config)
    config_digest = blob(layout, config_bytes)
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {"mediaType": CONFIG, "digest": config_digest, "size": len(config_bytes)},
        "layers": [{"mediaType": LAYER, "digest": layer_digest, "size": len(compressed)}],
        "annotations": dict(labels, **{"org.opencontainers.image.created": created}),
    }
    manifest_bytes = canonical(manifest)
    manifest_digest = blob(layout, manifest_bytes)
    index = {
        "schemaVersion": 2,
        "mediaType": INDEX,
        "manifests": [
            {
                "mediaType": MANIFEST,
                "digest": manifest_digest,
                "size": len(manifest_bytes),
                "platform": {"architecture": args.arch, "os": "linux"},
                "annotations": {
                    # The tag (OCI); the full name for `docker load` (containerd's key).
                    "org.opencontainers.image.ref.name": args.version,
                    "io.containerd.image.name": f"{args.name}:{args.version}",
                },
            }
        ],
    }
    with open(os.path.join(layout, "index.json"), "wb") as f:
        f.write(canonical(index))
    with open(os.path.join(layout, "oci-layout"), "wb") as f:
        f.write(canonical({"imageLayoutVersion": "1.0.0"}))

    # The same layout as one tar file, for `docker load -i` / `podman load -i`.
    with tarfile.open(layout + ".tar", "w", format=tarfile.PAX_FORMAT) as archive:
        for root, dirs, files in os.walk(layout):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                info = archive.gettarinfo(path, os.path.relpath(path, layout))
                info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = epoch, 0, 0, "", "", 0o644
                with open(path, "rb") as f:
                    archive.addfile(info, f)
    print(f"image: {layout} ({args.name}:{args.version}, {args.arch}, manifest {manifest_digest}, layer {len(compressed)} bytes)")
    print(f"image: {layout}.tar (docker load -i / podman load -i)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--arch", required=True)
    parser.add_argument("--name", required=True, help="image name without tag, e.g. localhost/shmfix")
    parser.add_argument("--out", required=True, help="the OCI layout directory to write")
    build(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
