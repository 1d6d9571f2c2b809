#!/usr/bin/env bash
# Runs libFuzzer (the command after ARTIFACT_DIR) and, when it stops on a finding, ends its
# output with what reproduces it: the violated property or the trap, and each new input in
# base64. CI shows the end of a failing log, so a finding there can be replayed here:
#
#   fuzz/run.sh ARTIFACT_DIR .build-fuzz/release/ShmfixFuzz [LIBFUZZER FLAGS...] CORPUS...
#   base64 -d > crash <<< 'BASE64' && .build-fuzz/release/ShmfixFuzz crash
set -uo pipefail
artifacts=$1
shift
mkdir -p "$artifacts"
log=$(mktemp)
trap 'rm -f "$log" "$log.before"' EXIT
ls "$artifacts" > "$log.before"
SWIFT_BACKTRACE=enable=no "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && exit 0
echo
echo "== fuzz finding (exit $status) =="
grep -a -m 3 -E 'shmfix fuzz property violated|Fatal error|ERROR: (AddressSanitizer|libFuzzer)' "$log"
for name in $(ls "$artifacts" | grep -vxF -f "$log.before"); do
    file="$artifacts/$name"
    echo "input $file ($(wc -c < "$file") bytes), base64:"
    base64 -w 0 "$file" | head -c 24000
    echo
done
echo "replay: base64 -d > crash <<< 'BASE64' && .build-fuzz/release/ShmfixFuzz crash"
exit "$status"
