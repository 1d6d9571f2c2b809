#!/usr/bin/env bash
# The tests of what `make dist` and `make image` ship (`make dist-test`, run by `make test`):
#
#   archive-*    the release archive unpacked into an empty folder and run there with chroot,
#                only /proc mounted: a file, stdin, a kpt ResourceList, a refusal; exact bytes
#                and exit codes. `file` says statically linked; the sha256 file and the krew
#                manifest name the archive's real sha256.
#   image-*      the OCI layout validated by skopeo (inspect, and a copy, which checks every
#                digest) and umoci; its layer extracted into an empty folder through index.json,
#                the manifest and the config (digests checked); the entrypoint run there the way
#                `kpt fn eval --image` runs it: no arguments, a ResourceList on stdin, as the
#                user `nobody` of the image's /etc/passwd (kpt's `docker run --user nobody`),
#                and as the image's own user.
#   precommit-*  pre-commit (PyPI) drives the hooks of .pre-commit-hooks.yaml in a scratch git
#                repository: a commit with a Deployment lacking /dev/shm fails, the fix hook
#                rewrites it, then the commit passes.
#   argocd-*     the generate command of Examples/argocd/plugin.yaml run as argocd-cmp-server
#                runs it: exec of command+args, working directory the app's folder, the build
#                environment (ARGOCD_APP_NAME, …) and PARAM_* variables; exact output, and
#                refusals with their status and reason.
#
# Needs root (chroot, mount). Outside CI a test whose tool is missing is skipped; with CI=true
# it fails. Prints one line per test and ends with 'N passed, N failed, N skipped'.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TESTS=$ROOT/packaging/tests
FIXTURES=$ROOT/Tests/Fixtures
VERSION=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/shmfix/Version.swift)
ARCH=$(uname -m | sed 's/^x86_64$/amd64/; s/^aarch64$/arm64/')
ARCHIVE=dist/shmfix-$VERSION-linux-$ARCH.tar.gz
LAYOUT=dist/shmfix-$VERSION-image-linux-$ARCH
BIN=$ROOT/.build-dist/shmfix
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

passed=0 failed=0 skipped=0

# run_test NAME: runs test_NAME in a subshell with -e; a failing command fails the test.
run_test() {
    local name=$1 start=$SECONDS output status
    output=$( (set -e; "test_$name") 2>&1)
    status=$?
    if [[ $status == 0 ]]; then
        passed=$((passed + 1))
        echo "ok   $name ($((SECONDS - start)) s)"
    elif [[ $status == 77 ]]; then
        skipped=$((skipped + 1))
        echo "skip $name: $output"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        printf '%s\n' "$output" | sed 's/^/     /'
    fi
}

fail() { echo "$*" >&2; exit 1; }

# need TOOL...: skip (77) outside CI when a tool is missing; fail in CI.
need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 && continue
        [[ ${CI:-} == true ]] && fail "'$tool' is not installed (CI needs every tool)"
        echo "'$tool' is not installed"
        exit 77
    done
    if [[ $(id -u) != 0 ]]; then
        [[ ${CI:-} == true ]] && fail "needs root for chroot and mount"
        echo "needs root for chroot and mount"
        exit 77
    fi
}

# same EXPECTED_FILE ACTUAL_FILE: byte-identical, else the diff.
same() {
    cmp -s "$1" "$2" || fail "$(printf 'output differs from %s:\n' "$1"; diff -u "$1" "$2" | head -40)"
}

# same_text "EXPECTED" ACTUAL_FILE
same_text() {
    printf '%s' "$1" >"$SCRATCH/expected-text"
    same "$SCRATCH/expected-text" "$2"
}

# status_is EXPECTED ACTUAL WHAT
status_is() { [[ $2 == "$1" ]] || fail "$3: exit status $2, expected $1 (stderr: $(cat "$SCRATCH/err" 2>/dev/null))"; }

# in_root ROOTFS [chroot options] -- COMMAND...: runs COMMAND chrooted into ROOTFS in a mount
# namespace of its own with only /proc mounted; stdin/stdout/stderr as given by the caller.
in_root() {
    local rootfs=$1
    shift
    local options=()
    while [[ $1 != -- ]]; do options+=("$1"); shift; done
    shift
    mkdir -p "$rootfs/proc"
    unshare --mount --propagation private -- env -u TMPDIR sh -c \
        'rootfs=$1; shift; mount -t proc proc "$rootfs/proc" && exec chroot "$@"' \
        sh "$rootfs" "${options[@]}" "$rootfs" "$@"
}

# ---------------------------------------------------------------------------------------------
# The release archive

unpacked() { # a fresh, empty folder with the archive unpacked in it
    local dir=$SCRATCH/archive-$1
    rm -rf "$dir"
    mkdir -p "$dir"
    tar -xzf "$ARCHIVE" -C "$dir"
    printf '%s\n' "$dir"
}

test_archive_contents() {
    [[ -f $ARCHIVE ]] || fail "no $ARCHIVE: run make dist"
    tar -tzvf "$ARCHIVE" | awk '{print $1, $2, $6}' >"$SCRATCH/listing"
    same_text "-rwxr-xr-x 0/0 shmfix
-rw-r--r-- 0/0 LICENSE
-rw-r--r-- 0/0 README.md
-rw-r--r-- 0/0 THIRD_PARTY_NOTICES
" "$SCRATCH/listing"
    local dir
    dir=$(unpacked contents)
    file -b "$dir/shmfix" | grep -q 'statically linked' || fail "not static: $(file -b "$dir/shmfix")"
    ! file -b "$dir/shmfix" | grep -q 'dynamically linked' || fail "dynamic: $(file -b "$dir/shmfix")"
    cmp -s "$dir/LICENSE" LICENSE || fail "LICENSE differs"
    cmp -s "$dir/README.md" README.md || fail "README.md differs"
    cmp -s "$dir/THIRD_PARTY_NOTICES" packaging/THIRD_PARTY_NOTICES || fail "THIRD_PARTY_NOTICES differs"
}

# The shipped binary allocates through jemalloc (Makefile, dist-binary), not glibc's malloc:
# only jemalloc prints its statistics at exit when MALLOC_CONF asks for them.
test_archive_allocator_is_jemalloc() {
    need chroot unshare
    local dir
    dir=$(unpacked allocator)
    MALLOC_CONF=stats_print:true in_root "$dir" -- /shmfix --version >"$SCRATCH/out" 2>"$SCRATCH/err" \
        || fail "--version failed: $(head -5 "$SCRATCH/err")"
    same_text "$VERSION
" "$SCRATCH/out"
    head -1 "$SCRATCH/err" >"$SCRATCH/first-line"
    same_text "___ Begin jemalloc statistics ___
" "$SCRATCH/first-line"
}

test_archive_sha256_and_krew_manifest() {
    local sum
    sum=$(sha256sum "$ARCHIVE" | cut -d' ' -f1)
    same_text "$sum  shmfix-$VERSION-linux-$ARCH.tar.gz
" "$ARCHIVE.sha256"
    python3 - "$sum" "$VERSION" "$ARCH" dist/krew/shmfix.yaml <<'PY'
import sys, yaml
sum_, version, arch, path = sys.argv[1:]
plugin = yaml.safe_load(open(path))
assert plugin["apiVersion"] == "krew.googlecontainertools.github.com/v1alpha2", plugin["apiVersion"]
assert plugin["kind"] == "Plugin" and plugin["metadata"]["name"] == "shmfix"
spec = plugin["spec"]
assert spec["version"] == "v" + version, spec["version"]
assert spec["shortDescription"] and len(spec["shortDescription"]) <= 50 and spec["description"].strip()
platforms = [p for p in spec["platforms"] if p["selector"]["matchLabels"] == {"os": "linux", "arch": arch}]
assert len(platforms) == 1, spec["platforms"]
p = platforms[0]
assert p["sha256"] == sum_, (p["sha256"], sum_)
assert p["uri"].endswith(f"/shmfix-{version}-linux-{arch}.tar.gz"), p["uri"]
assert p["bin"] == "kubectl-shmfix"
assert p["files"] == [{"from": "shmfix", "to": "kubectl-shmfix"}, {"from": "LICENSE", "to": "."},
                      {"from": "THIRD_PARTY_NOTICES", "to": "."}], p["files"]
PY
}

test_archive_version() {
    need chroot unshare
    local dir
    dir=$(unpacked version)
    in_root "$dir" -- /shmfix --version >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "--version failed: $(cat "$SCRATCH/err")"
    same_text "$VERSION
" "$SCRATCH/out"
}

test_archive_file_argument() {
    need chroot unshare
    local dir status=0
    dir=$(unpacked file)
    cp "$FIXTURES/kind-deployment/input.yaml" "$dir/input.yaml"
    in_root "$dir" -- /shmfix --shm-size=2gb input.yaml >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 0 "$status" "shmfix input.yaml"
    same "$FIXTURES/kind-deployment/expected.yaml" "$SCRATCH/out"
    same_text "" "$SCRATCH/err"
}

test_archive_stdin_with_warning() {
    need chroot unshare
    local dir status=0
    dir=$(unpacked stdin)
    in_root "$dir" -- /shmfix --shm-size=2gb <"$FIXTURES/stream-mixed-helm/input.yaml" >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 0 "$status" "shmfix < input.yaml"
    same "$FIXTURES/stream-mixed-helm/expected.yaml" "$SCRATCH/out"
    sed 's/^input\.yaml:/<stdin>:/' "$FIXTURES/stream-mixed-helm/stderr.txt" >"$SCRATCH/expected-err"
    same "$SCRATCH/expected-err" "$SCRATCH/err"
}

test_archive_krm_resource_list() {
    need chroot unshare
    local dir status=0
    dir=$(unpacked krm)
    in_root "$dir" -- /shmfix <"$FIXTURES/plugin-krm-configmap/input.yaml" >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 0 "$status" "shmfix < ResourceList"
    same "$FIXTURES/plugin-krm-configmap/krm/expected.yaml" "$SCRATCH/out"
    same_text "" "$SCRATCH/err"
}

test_archive_refusal() {
    need chroot unshare
    local dir status=0
    dir=$(unpacked refusal)
    cp "$FIXTURES/plugin-krm-conflict/input.yaml" "$dir/input.yaml"
    in_root "$dir" -- /shmfix --shm-size=2gb input.yaml >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 2 "$status" "a conflict"
    same_text "" "$SCRATCH/out"
    same "$FIXTURES/plugin-krm-conflict/stderr.txt" "$SCRATCH/err"
}

# ---------------------------------------------------------------------------------------------
# The OCI image

test_image_layout_validates() {
    need skopeo umoci
    [[ -f $LAYOUT/oci-layout && -f $LAYOUT/index.json ]] || fail "no OCI layout at $LAYOUT: run make image"
    same_text '{"imageLayoutVersion":"1.0.0"}' "$LAYOUT/oci-layout"
    skopeo inspect --config "oci:$LAYOUT:$VERSION" >"$SCRATCH/config.json"
    python3 - "$SCRATCH/config.json" "$ARCH" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
assert config["architecture"] == sys.argv[2] and config["os"] == "linux", config
c = config["config"]
assert c["Entrypoint"] == ["/usr/local/bin/shmfix"], c
assert c["User"] == "65532:65532", c
assert "Cmd" not in c, c
PY
    # A copy reads and checks every blob against its digest.
    skopeo copy --quiet "oci:$LAYOUT:$VERSION" "oci:$SCRATCH/copy:$VERSION"
    skopeo copy --quiet "oci:$LAYOUT:$VERSION" "docker-archive:$SCRATCH/docker.tar:localhost/shmfix:$VERSION"
    umoci stat --image "$LAYOUT:$VERSION" >/dev/null
    [[ -f $LAYOUT.tar ]] || fail "no $LAYOUT.tar (docker load / podman load)"
    mkdir -p "$SCRATCH/fromtar"
    tar -xf "$LAYOUT.tar" -C "$SCRATCH/fromtar"
    diff -r "$LAYOUT" "$SCRATCH/fromtar" || fail "$LAYOUT.tar is not the layout"
}

# rootfs NAME: the image's layers, found through index.json, the manifest and the config, each
# blob checked against its digest, extracted in order into an empty folder; prints the folder.
rootfs() {
    local dir=$SCRATCH/rootfs-$1
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 - "$LAYOUT" "$VERSION" "$dir" <<'PY'
import gzip, hashlib, json, os, subprocess, sys
layout, tag, target = sys.argv[1:]
def blob(digest):
    algorithm, hexdigest = digest.split(":")
    data = open(os.path.join(layout, "blobs", algorithm, hexdigest), "rb").read()
    assert hashlib.sha256(data).hexdigest() == hexdigest, digest
    return data
index = json.load(open(os.path.join(layout, "index.json")))
[entry] = [m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == tag]
manifest = json.loads(blob(entry["digest"]))
config = json.loads(blob(manifest["config"]["digest"]))
assert len(manifest["layers"]) == len(config["rootfs"]["diff_ids"])
for layer, diff_id in zip(manifest["layers"], config["rootfs"]["diff_ids"]):
    assert layer["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip", layer
    path = os.path.join(target, ".layer.tar.gz")
    open(path, "wb").write(blob(layer["digest"]))
    raw = gzip.open(path).read()
    assert "sha256:" + hashlib.sha256(raw).hexdigest() == diff_id, diff_id
    # GNU tar as root keeps owners and modes (/tmp's sticky bit), as a runtime does.
    subprocess.run(["tar", "-xzpf", path, "-C", target], check=True)
    os.remove(path)
json.dump(config["config"], open(os.path.join(target, "..", os.path.basename(target) + ".config.json"), "w"))
PY
    printf '%s\n' "$dir"
}

test_image_contents() {
    local dir
    dir=$(rootfs contents)
    (cd "$dir" && find . -mindepth 1 -printf '%M %U:%G %p\n' | sort -k3) >"$SCRATCH/listing"
    same_text "drwxr-xr-x 0:0 ./etc
-rw-r--r-- 0:0 ./etc/group
-rw-r--r-- 0:0 ./etc/passwd
drwxrwxrwt 0:0 ./tmp
drwxr-xr-x 0:0 ./usr
drwxr-xr-x 0:0 ./usr/local
drwxr-xr-x 0:0 ./usr/local/bin
-rwxr-xr-x 0:0 ./usr/local/bin/shmfix
drwxr-xr-x 0:0 ./usr/local/share
drwxr-xr-x 0:0 ./usr/local/share/doc
drwxr-xr-x 0:0 ./usr/local/share/doc/shmfix
-rw-r--r-- 0:0 ./usr/local/share/doc/shmfix/LICENSE
-rw-r--r-- 0:0 ./usr/local/share/doc/shmfix/THIRD_PARTY_NOTICES
" "$SCRATCH/listing"
    cmp -s "$dir/usr/local/bin/shmfix" "$BIN" || fail "the image's shmfix is not $BIN"
    same packaging/image/etc/passwd "$dir/etc/passwd"
    same LICENSE "$dir/usr/local/share/doc/shmfix/LICENSE"
    same packaging/THIRD_PARTY_NOTICES "$dir/usr/local/share/doc/shmfix/THIRD_PARTY_NOTICES"
}

# run_entrypoint ROOTFS USER: the image's entrypoint (from its config) chrooted as USER, which is
# resolved in the image's own /etc/passwd as a container runtime does; no arguments (kpt passes
# none), stdin and stdout as given.
run_entrypoint() {
    local dir=$1 user=$2 uid gid
    local entrypoint
    entrypoint=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Entrypoint"][0])' "$dir.config.json")
    if [[ $user == *:* ]]; then
        uid=${user%%:*} gid=${user#*:}
    else
        uid=$(awk -F: -v u="$user" '$1 == u {print $3}' "$dir/etc/passwd")
        gid=$(awk -F: -v u="$user" '$1 == u {print $4}' "$dir/etc/passwd")
        [[ -n $uid ]] || fail "the image has no user '$user' in /etc/passwd"
    fi
    in_root "$dir" --userspec="$uid:$gid" -- "$entrypoint"
}

test_image_kpt_function_as_nobody() {
    need chroot unshare
    local dir status=0
    dir=$(rootfs nobody)
    run_entrypoint "$dir" nobody <"$FIXTURES/plugin-krm-configmap/input.yaml" >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 0 "$status" "entrypoint < ResourceList as nobody"
    same "$FIXTURES/plugin-krm-configmap/krm/expected.yaml" "$SCRATCH/out"
    same_text "" "$SCRATCH/err"
}

test_image_kpt_function_as_image_user_refusal() {
    need chroot unshare
    local dir status=0 user
    dir=$(rootfs refusal)
    user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["User"])' "$dir.config.json")
    run_entrypoint "$dir" "$user" <"$FIXTURES/plugin-krm-conflict/input.yaml" >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 2 "$status" "entrypoint < conflicting ResourceList"
    same "$FIXTURES/plugin-krm-conflict/krm/expected.yaml" "$SCRATCH/out"
    same_text "web.yaml: error: v1/Pod/ml/trainer: spec.volumes[0]: volume 'dshm' is a persistentVolumeClaim volume, not an emptyDir; choose another name with data.volume-name
" "$SCRATCH/err"
}

test_image_large_stream_spools_to_tmp() {
    need chroot unshare
    local dir status=0
    dir=$(rootfs spool)
    # Over the spool's 1 MiB in memory: the rest goes to the image's /tmp, as user 65532.
    python3 - "$FIXTURES/kind-deployment/input.yaml" "$FIXTURES/kind-deployment/expected.yaml" "$SCRATCH" <<'PY'
import sys
source, expected, scratch = sys.argv[1:]
doc, fixed = open(source).read(), open(expected).read()
n = 3 * (1 << 20) // len(doc) + 1
open(scratch + "/big.yaml", "w").write("---\n".join([doc] * n))
open(scratch + "/big.expected.yaml", "w").write("---\n".join([fixed] * n))
PY
    in_root "$dir" --userspec=65532:65532 -- /usr/local/bin/shmfix --shm-size=2gb <"$SCRATCH/big.yaml" >"$SCRATCH/out" 2>"$SCRATCH/err" || status=$?
    status_is 0 "$status" "a 3 MiB stream"
    same "$SCRATCH/big.expected.yaml" "$SCRATCH/out"
}

# ---------------------------------------------------------------------------------------------
# pre-commit

# precommit_repo NAME HOOK_ID...: a scratch git repository whose .pre-commit-config.yaml holds
# these hooks of .pre-commit-hooks.yaml as `repo: local` hooks: id, entry's flags, files, types as written
# there, with `language: system` and the static binary for `shmfix`, so that no test waits for
# pre-commit's own `swift build` (`language: swift` builds the package in its cache).
precommit_repo() {
    python3 -c 'import pre_commit' 2>/dev/null || {
        [[ ${CI:-} == true ]] && fail "pre-commit is not installed (make dist-test-tools)"
        echo "pre-commit is not installed"
        exit 77
    }
    local repo=$SCRATCH/precommit-$1
    rm -rf "$repo"
    mkdir -p "$repo/k8s"
    git -C "$repo" init -q
    git -C "$repo" config user.email test@example.com
    git -C "$repo" config user.name test
    python3 - "$ROOT/.pre-commit-hooks.yaml" "$BIN" "$repo/.pre-commit-config.yaml" "${@:2}" <<'PY'
import sys, yaml
hooks_file, binary, out, *ids = sys.argv[1:]
hooks = yaml.safe_load(open(hooks_file))
assert {hook["id"] for hook in hooks} >= set(ids), ids
local = []
for hook in hooks:
    if hook["id"] not in ids:
        continue
    assert hook["language"] == "swift", hook
    program, *flags = hook["entry"].split()
    assert program == "shmfix", hook
    hook = dict(hook, language="system", entry=" ".join([binary] + flags), args=["--shm-size=2gb", "--quiet"])
    local.append(hook)
yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, open(out, "w"), sort_keys=False)
PY
    cp "$TESTS/precommit/deployment.yaml" "$repo/k8s/deployment.yaml"
    printf 'name: not a manifest\nitems: [1, 2]\n' >"$repo/settings.yaml"
    printf '%s\n' "$repo"
}

precommit() { # REPO ARGS...: python3 -m pre_commit in REPO, its cache in the scratch folder
    local repo=$1
    shift
    (cd "$repo" && PRE_COMMIT_HOME=$SCRATCH/pre-commit-home python3 -m pre_commit "$@")
}

test_precommit_check_fails_then_passes() {
    local repo status=0
    repo=$(precommit_repo check shmfix-check)
    git -C "$repo" add -A
    precommit "$repo" run shmfix-check >"$SCRATCH/out" 2>&1 || status=$?
    status_is 1 "$status" "shmfix-check on a Deployment without /dev/shm"
    grep -qx 'k8s/deployment.yaml:2:1: Deployment/web would change' "$SCRATCH/out" || fail "$(cat "$SCRATCH/out")"
    same "$TESTS/precommit/deployment.yaml" "$repo/k8s/deployment.yaml"
    # A real commit through the installed hook: refused, nothing committed.
    precommit "$repo" install >/dev/null
    git -C "$repo" add -A
    status=0
    git -C "$repo" commit -q -m "web" >"$SCRATCH/out" 2>&1 || status=$?
    status_is 1 "$status" "git commit with the check hook"
    ! git -C "$repo" rev-parse -q --verify HEAD >/dev/null || fail "the commit went through"
    # Fixed (by shmfix itself), the same commit passes.
    "$BIN" --shm-size=2gb -q -i "$repo/k8s/deployment.yaml"
    git -C "$repo" add -A
    git -C "$repo" commit -q -m "web" >"$SCRATCH/out" 2>&1 || fail "commit of the fixed file refused: $(cat "$SCRATCH/out")"
}

test_precommit_fix_rewrites() {
    local repo status=0
    repo=$(precommit_repo fix shmfix-fix shmfix-check)
    git -C "$repo" add -A
    precommit "$repo" run shmfix-fix >"$SCRATCH/out" 2>&1 || status=$?
    status_is 1 "$status" "shmfix-fix (pre-commit fails a hook that modified files)"
    grep -q 'files were modified by this hook' "$SCRATCH/out" || fail "$(cat "$SCRATCH/out")"
    same_text "# The web tier. Comments and layout stay as they are.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web   # 4-space sequences
          image: nginx:1.27
          resources:
            limits: {memory: 2Gi}
          volumeMounts:
            - name: dshm
              mountPath: /dev/shm
      volumes:
        - name: dshm
          emptyDir:
            medium: Memory
            sizeLimit: 2Gi
" "$repo/k8s/deployment.yaml"
    printf 'name: not a manifest\nitems: [1, 2]\n' >"$SCRATCH/settings"
    same "$SCRATCH/settings" "$repo/settings.yaml"
    git -C "$repo" add -A
    precommit "$repo" run --all-files >"$SCRATCH/out" 2>&1 || fail "second run not clean: $(cat "$SCRATCH/out")"
}

# ---------------------------------------------------------------------------------------------
# Argo CD

# generate APP [VAR=VALUE...]: the plugin's generate command as argocd-cmp-server runs it (exec
# of command + args in the app's folder, the sidecar's environment plus the build environment
# and the PARAM_* variables); stdout to $SCRATCH/out, stderr to $SCRATCH/err; returns its status.
generate() {
    local app=$SCRATCH/argocd-$1
    rm -rf "$app"
    cp -r "$TESTS/argocd/$1" "$app"
    shift
    python3 -c '
import sys, yaml, json
plugin = yaml.safe_load(open(sys.argv[1]))
assert plugin["apiVersion"] == "argoproj.io/v1alpha1" and plugin["kind"] == "ConfigManagementPlugin"
generate = plugin["spec"]["generate"]
print("\0".join(generate["command"] + generate.get("args", [])), end="")
' Examples/argocd/plugin.yaml >"$SCRATCH/argv"
    local argv=()
    mapfile -d '' argv <"$SCRATCH/argv"
    (cd "$app" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$SCRATCH" SHMFIX="$BIN" \
        ARGOCD_APP_NAME=vllm ARGOCD_APP_NAMESPACE=serving ARGOCD_APP_REVISION=0a1b2c3 \
        ARGOCD_APP_SOURCE_PATH=apps/vllm ARGOCD_APP_SOURCE_REPO_URL=https://git.example.com/platform.git \
        ARGOCD_APP_SOURCE_TARGET_REVISION=main KUBE_VERSION=1.35.0 "$@" \
        "${argv[@]}") >"$SCRATCH/out" 2>"$SCRATCH/err"
}

test_argocd_kustomize_app() {
    need kubectl
    local status=0
    generate kustomize-app PARAM_SHM_SIZE=8gb PARAM_CONTAINERS_0=vllm PARAM_GPU_ONLY=true || status=$?
    status_is 0 "$status" "generate"
    same "$TESTS/argocd/kustomize-app.expected.yaml" "$SCRATCH/out"
    same_text "" "$SCRATCH/err"
}

test_argocd_plain_manifests() {
    local status=0
    generate plain-app PARAM_SHM_SIZE=1gb PARAM_KINDS_0=Job PARAM_KINDS_1=deployment PARAM_VOLUME_NAME=shm || status=$?
    status_is 0 "$status" "generate"
    same "$TESTS/argocd/plain-app.expected.yaml" "$SCRATCH/out"
    same_text "" "$SCRATCH/err"
}

test_argocd_refusals() {
    local status=0
    generate conflict-app PARAM_SHM_SIZE=2gb || status=$?
    status_is 2 "$status" "a conflict"
    same_text "" "$SCRATCH/out"
    same_text "./pod.yaml:10:5: error: Pod/trainer: volume 'dshm' is a persistentVolumeClaim volume, not an emptyDir; choose another name with --volume-name
" "$SCRATCH/err"
    status=0
    generate plain-app || status=$?
    status_is 64 "$status" "no shm-size"
    same_text "" "$SCRATCH/out"
    same_text "shmfix plugin: application 'vllm': the parameter shm-size is required (e.g. 2gb)
" "$SCRATCH/err"
    status=0
    generate plain-app PARAM_SHM_SIZE=2gb PARAM_GPU_ONLY=yes || status=$?
    status_is 64 "$status" "gpu-only=yes"
    same_text "shmfix plugin: application 'vllm': the parameter gpu-only is 'yes'; give true or false
" "$SCRATCH/err"
    status=0
    generate plain-app 'PARAM_SHM_SIZE=2 bananas' || status=$?
    status_is 64 "$status" "a bad size"
    same_text "" "$SCRATCH/out"
    grep -q "2 bananas" "$SCRATCH/err" || fail "the size is not quoted: $(cat "$SCRATCH/err")"
}

test_argocd_component_renders() {
    need kubectl
    local overlay=$SCRATCH/argocd-install
    mkdir -p "$overlay"
    # The repo-server Deployment as Argo CD's install.yaml declares the parts the patch uses.
    cat >"$overlay/repo-server.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  template:
    spec:
      containers:
      - name: argocd-repo-server
        image: quay.io/argoproj/argocd:v3.0.0
      volumes:
      - name: var-files
        emptyDir: {}
      - name: plugins
        emptyDir: {}
YAML
    printf 'resources:\n- repo-server.yaml\ncomponents:\n- %s\n' \
        "$(realpath --relative-to="$overlay" "$ROOT/Examples/argocd")" >"$overlay/kustomization.yaml"
    kubectl kustomize "$overlay" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "kubectl kustomize: $(cat "$SCRATCH/err")"
    python3 - "$SCRATCH/out" Examples/argocd/plugin.yaml <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
[cm] = [d for d in docs if d["kind"] == "ConfigMap"]
assert cm["metadata"]["name"] == "shmfix-cmp-plugin", cm["metadata"]
assert cm["data"]["plugin.yaml"] == open(sys.argv[2]).read(), "plugin.yaml is not the ConfigMap's"
[deploy] = [d for d in docs if d["kind"] == "Deployment"]
pod = deploy["spec"]["template"]["spec"]
names = [c["name"] for c in pod["containers"]]
assert names == ["shmfix", "argocd-repo-server"] or names == ["argocd-repo-server", "shmfix"], names
[sidecar] = [c for c in pod["containers"] if c["name"] == "shmfix"]
assert sidecar["command"] == ["/var/run/argocd/argocd-cmp-server"], sidecar
mounts = {m["name"]: m["mountPath"] for m in sidecar["volumeMounts"]}
assert mounts["shmfix-cmp-plugin"] == "/home/argocd/cmp-server/config/plugin.yaml", mounts
assert mounts["var-files"] == "/var/run/argocd" and mounts["plugins"] == "/home/argocd/cmp-server/plugins", mounts
volumes = {v["name"]: v for v in pod["volumes"]}
assert set(volumes) >= set(mounts), (volumes, mounts)
assert volumes["shmfix-image"]["image"]["reference"].endswith(":0.1.0"), volumes["shmfix-image"]
env = {e["name"]: e["value"] for e in sidecar["env"]}
assert env["SHMFIX"] == mounts["shmfix-image"] + "/usr/local/bin/shmfix", env
PY
}

start=$SECONDS
for test in $(declare -F | awk '{print $3}' | grep '^test_' | sed 's/^test_//'); do
    [[ $test =~ ${DIST_TESTS:-.} ]] && run_test "$test"
done
echo "dist-test: $((SECONDS - start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]]
