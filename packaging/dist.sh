#!/usr/bin/env bash
# make dist: the release archive of a static shmfix, its sha256 and a krew manifest.
#
#   packaging/dist.sh BINARY VERSION ARCH RELEASE_URL OUT
#
# BINARY is the stripped static executable; ARCH is the OCI/krew name of the architecture
# (amd64, arm64). Writes OUT/shmfix-VERSION-linux-ARCH.tar.gz (shmfix, LICENSE, README.md,
# THIRD_PARTY_NOTICES),
# OUT/shmfix-VERSION-linux-ARCH.tar.gz.sha256 (sha256sum's format) and OUT/krew/shmfix.yaml,
# which lists every OUT/shmfix-VERSION-linux-*.tar.gz present (copy an arm64 archive built on
# arm64 into OUT first to get a manifest for both). The archive is reproducible: entries sorted,
# owned by 0:0, dated SOURCE_DATE_EPOCH (default: the last commit's time), gzip without a name
# or timestamp.
set -euo pipefail

[[ $# == 5 ]] || { echo "usage: $0 BINARY VERSION ARCH RELEASE_URL OUT" >&2; exit 64; }
binary=$1 version=$2 arch=$3 url=${4%/} out=$5
cd "$(dirname "$0")/.."

fail() { echo "dist: error: $*" >&2; exit 1; }
[[ -x $binary ]] || fail "no executable at '$binary' (make dist-binary builds it)"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || fail "'$version' is not a version (Sources/shmfix/Version.swift)"
reported=$("$binary" --version) || fail "'$binary --version' failed"
[[ $reported == "$version" ]] || fail "'$binary --version' says '$reported', Sources/shmfix/Version.swift says '$version'"
file -b "$binary" | grep -q 'statically linked' || fail "'$binary' is not statically linked: $(file -b "$binary")"

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
name=shmfix-$version-linux-$arch
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -m 755 "$binary" "$stage/shmfix"
install -m 644 LICENSE README.md packaging/THIRD_PARTY_NOTICES "$stage/"

mkdir -p "$out/krew"
tar --create --sort=name --format=ustar --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    --directory="$stage" shmfix LICENSE README.md THIRD_PARTY_NOTICES | gzip -9 --no-name >"$out/$name.tar.gz.tmp"
mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

# The krew manifest: one platform per archive of this version in OUT. krew's extractor takes
# regular files only (no links), so the archive holds `shmfix` and krew renames it to
# kubectl-shmfix when it installs (files: from/to), which `bin` names.
{
    cat <<YAML
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: shmfix
spec:
  version: v$version
  homepage: ${HOMEPAGE:-${url%/releases/*}}
  shortDescription: Add a memory-backed /dev/shm to every pod spec
  description: |
    Docker gives a container a 64 MiB /dev/shm and \`docker run --shm-size\` raises it;
    a Kubernetes pod has no such field. NCCL, vLLM tensor parallelism, PyTorch
    DataLoader workers and Ray fail without a bigger one. shmfix adds a memory-backed
    emptyDir mounted at /dev/shm to every pod spec of your manifests (Deployments,
    Jobs, CronJobs, Lists, RayClusters, PyTorchJobs, Argo Workflows, any operator
    resource) and changes no other byte: comments, key order and quoting stay.

      kubectl get deploy web -o yaml | kubectl shmfix --shm-size=2gb | kubectl apply -f -
      kubectl shmfix --shm-size=8g --gpu-only --check manifests/
  platforms:
YAML
    for archive in "$out"/shmfix-"$version"-linux-*.tar.gz; do
        platform_arch=${archive##*-linux-}
        platform_arch=${platform_arch%.tar.gz}
        cat <<YAML
  - selector:
      matchLabels:
        os: linux
        arch: $platform_arch
    uri: $url/$(basename "$archive")
    sha256: $(sha256sum "$archive" | cut -d' ' -f1)
    files:
    - from: shmfix
      to: kubectl-shmfix
    - from: LICENSE
      to: .
    - from: THIRD_PARTY_NOTICES
      to: .
    bin: kubectl-shmfix
YAML
    done
} >"$out/krew/shmfix.yaml"

echo "dist: $out/$name.tar.gz ($(wc -c <"$out/$name.tar.gz") bytes; shmfix $(wc -c <"$binary") bytes)"
echo "dist: $(cat "$out/$name.tar.gz.sha256")"
echo "dist: $out/krew/shmfix.yaml"
