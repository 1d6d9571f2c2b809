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
exec "${PYTHON:-python3}" bench/startup.py --runs "$STARTUP_RUNS" \
    --input Tests/Fixtures/kind-deployment/input.yaml --expected Tests/Fixtures/kind-deployment/expected.yaml \
    "dynamic=$SHMFIX" "static=$SHMFIX_STATIC"
