#!/usr/bin/env bash
# Start-up cost of shmfix on one small document: the static release binary of `make dist`
# against the dynamically linked release build, and the size of each (bench/README.md).
#
# Environment:
#   SHMFIX          the dynamic build (default .build/release/shmfix)
#   SHMFIX_STATIC   the static build (default .build-dist/shmfix: stripped, as shipped)
#   STARTUP_RUNS    runs per binary (default 200); min and median wall time are reported
#
# Exit status: 0 both targets met by the static binary (≤ 8 ms median, ≤ 12 MiB peak RSS),
# 1 a binary failed or gave the wrong answer, 2 a target missed.
set -euo pipefail
cd "$(dirname "$0")/.."
SHMFIX=${SHMFIX:-.build/release/shmfix}
SHMFIX_STATIC=${SHMFIX_STATIC:-.build-dist/shmfix}
STARTUP_RUNS=${STARTUP_RUNS:-200}
for binary in "$SHMFIX" "$SHMFIX_STATIC"; do
    [[ -x $binary ]] || { echo "startup: no binary at '$binary' (make release, make dist-binary)" >&2; exit 1; }
done
# Each binary is measured as installed (`install`, as `make install` and `tar -x` write it):
# on kernels whose page cache maps whole large folios on a fault, the peak RSS of a binary
# counts the file pages around the code it runs, and a file written by the linker or `strip`
# sits in larger folios than one written by `install` (seen here: 11 MiB against 8.4 MiB for
# the same static binary). The dynamic build's libraries stay where the toolchain put them.
installed=$(mktemp -d)
trap 'rm -rf "$installed"' EXIT
install -m 755 "$SHMFIX" "$installed/shmfix-dynamic"
install -m 755 "$SHMFIX_STATIC" "$installed/shmfix-static"
"${PYTHON:-python3}" bench/startup.py --runs "$STARTUP_RUNS" \
    --input Tests/Fixtures/kind-deployment/input.yaml --expected Tests/Fixtures/kind-deployment/expected.yaml \
    "dynamic=$SHMFIX:$installed/shmfix-dynamic" "static=$SHMFIX_STATIC:$installed/shmfix-static"
