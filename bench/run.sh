#!/usr/bin/env bash
# shmfix benchmark: see bench/README.md.
#
# Environment:
#   SIZE_MB       size of the stream given to shmfix and the libyaml loop (default 100; MB = 10^6 bytes)
#   RUNS          timed runs per tool (default 5), the tools taking turns; min and median are reported
#   KUSTOMIZE_MB  size of the stream given to kubectl kustomize (default 1; 0 skips it)
#   KUSTOMIZE_RUNS  runs for kubectl kustomize (default RUNS)
#   SHMFIX        the shmfix binary (default .build-dist/release/shmfix: the static release binary
#                 that make dist ships, before stripping, so callgrind can name its functions)
#   OUT           work and results folder (default bench/out)
#   SEED          generator seed (default 1)
#   CHECK_FULL    1: parse every workload document in the correctness check (slow)
#   INSTR_MB      slice counted with callgrind, by phase (default 3; 0 skips; needs valgrind)
#   STARTUP_RUNS  runs of shmfix on one small document for the start-up figure (default 20)
#
# Exit status: 0 correct and all targets met; 1 shmfix failed or its output is
# wrong (or the harness could not run); 2 correct but a target was missed.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-100}
RUNS=${RUNS:-5}
KUSTOMIZE_MB=${KUSTOMIZE_MB:-1}
KUSTOMIZE_RUNS=${KUSTOMIZE_RUNS:-$RUNS}
SHMFIX=${SHMFIX:-.build-dist/release/shmfix}
OUT=${OUT:-bench/out}
SEED=${SEED:-1}
CHECK_FULL=${CHECK_FULL:-0}
INSTR_MB=${INSTR_MB:-3}
STARTUP_RUNS=${STARTUP_RUNS:-20}
SHM_FLAG=--shm-size=2gb
EXPECT_SIZE=2Gi
PY=${PYTHON:-python3}
B=bench

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "error: $*"; exit 1; }

bytes_of() { awk -v mb="$1" 'BEGIN { printf "%d", mb * 1000000 }'; }
mb_of_file() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.6f", b / 1000000 }'; }

# A generated stream, cached by size and seed; regenerated when generate.py changes.
stream() { # SIZE_MB -> path
    local f="$OUT/stream-${1}MB-seed$SEED.yaml"
    if [[ ! -s $f || $B/generate.py -nt $f ]]; then
        say "generating $f"
        "$PY" $B/generate.py "$(bytes_of "$1")" "$f.tmp" --seed "$SEED" || die "generate.py failed"
        mv "$f.tmp" "$f"
    fi
    printf '%s\n' "$f"
}

command -v "$PY" >/dev/null || die "python3 not found"
"$PY" -c 'import yaml' 2>/dev/null || die "PyYAML is missing (pip install pyyaml, or apt-get install python3-yaml)"
[[ $SHMFIX == */* ]] || SHMFIX=$(command -v "$SHMFIX" || echo "$SHMFIX")
[[ -x $SHMFIX && -f $SHMFIX ]] || die "shmfix binary not found at '$SHMFIX': run 'make dist-binary', or set SHMFIX=/path/to/shmfix"
mkdir -p "$OUT/results"
rm -f "$OUT"/results/*.json "$OUT/results.md" "$OUT/shmfix-out.yaml"

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="$load" 'BEGIN { exit !(l + 0 > 0.7) }'; then
    say "warning: load average is $load before starting: another process is using the CPU, timings will be noisy"
fi

# 1. Streams.
MAIN=$(stream "$SIZE_MB")
MAIN_MB=$(mb_of_file "$MAIN")

# 2. The libyaml event loop, linked statically like the shmfix it is compared with (the same
#    libyaml.a object code in both; the shared libyaml costs ≈ 0.4 % more instructions).
LOOP="$OUT/libyaml_loop_static"
if [[ ! -x $LOOP || $B/libyaml_loop.c -nt $LOOP ]]; then
    pkg-config --exists yaml-0.1 || die "libyaml not found by pkg-config (apt-get install libyaml-dev)"
    say "building $LOOP"
    # shellcheck disable=SC2046
    ${CC:-cc} -O2 -static -o "$LOOP" $B/libyaml_loop.c $(pkg-config --cflags --libs --static yaml-0.1) \
        || die "cannot build the libyaml loop"
fi

# The same loop with the allocator the static shmfix links (jemalloc and the realloc shim,
# Makefile dist-binary), for the record: how much of shmfix's lead is the allocator. Not a
# target; the loop above is the baseline.
LOOP_JE="$OUT/libyaml_loop_static_jemalloc"
SHIM=Sources/CReallocShim
if pkg-config --exists jemalloc && [[ ! -x $LOOP_JE || $B/libyaml_loop.c -nt $LOOP_JE || $SHIM/realloc_shim.c -nt $LOOP_JE ]]; then
    say "building $LOOP_JE"
    # shellcheck disable=SC2046
    ${CC:-cc} -O2 -static -o "$LOOP_JE" $B/libyaml_loop.c $SHIM/realloc_shim.c -I$SHIM/include -Wl,--wrap=realloc \
        $(for symbol in $(grep -v '^#' packaging/jemalloc.symbols); do
            printf -- '-Wl,--undefined=%s ' "$symbol"; done) \
        "$(pkg-config --variable=libdir jemalloc)/libjemalloc.a" $(pkg-config --cflags --libs --static yaml-0.1) -lpthread -lm \
        || die "cannot build the libyaml loop with jemalloc"
fi

timeit() { # NAME MB STDIN STDOUT RUNS CMD...: RUNS more runs, added to NAME's results
    local name=$1 mb=$2 in=$3 out=$4 runs=$5
    shift 5
    "$PY" $B/timeit.py --runs "$runs" --name "$name" --mb "$mb" --stdin "$in" --stdout "$out" \
        --stderr "$OUT/$name.stderr" --json "$OUT/results/$name.json" --append -- "$@"
}

# 3. Timed runs. Each tool reads the same cached file; the tools take turns, one run each per
#    round, so that a slow spell of the machine (it has them: the loop's runs alone have spread
#    over 2.0–2.8 s) is shared rather than landing on one tool's block of runs.
say "timing the libyaml loop$([[ -x $LOOP_JE ]] && echo ", the loop with jemalloc") and shmfix, $RUNS rounds on $MAIN_MB MB"
shm_rc=0
loop_je_rc=0
for ((round = 1; round <= RUNS; round++)); do
    timeit libyaml_loop "$MAIN_MB" "$MAIN" /dev/null 1 "$LOOP" - || die "the libyaml loop failed on $MAIN"
    if [[ -x $LOOP_JE && $loop_je_rc == 0 ]]; then
        timeit libyaml_loop_jemalloc "$MAIN_MB" "$MAIN" /dev/null 1 "$LOOP_JE" - || loop_je_rc=$?
    fi
    [[ $shm_rc == 0 ]] || continue
    timeit shmfix "$MAIN_MB" "$MAIN" "$OUT/shmfix-out.yaml" 1 "$SHMFIX" "$SHM_FLAG" || shm_rc=$?
done
if [[ -s $OUT/shmfix.stderr ]]; then
    say "shmfix wrote $(wc -l <"$OUT/shmfix.stderr") lines on stderr (last run): $OUT/shmfix.stderr"
fi

KUS_JSON=
if [[ $KUSTOMIZE_MB != 0 ]]; then
    if command -v kubectl >/dev/null; then
        KS=$(stream "$KUSTOMIZE_MB")
        KDIR="$OUT/kustomize-${KUSTOMIZE_MB}MB-seed$SEED"
        if [[ ! -s $KDIR/kustomization.yaml || $KS -nt $KDIR/kustomization.yaml || $B/kustomize_patches.py -nt $KDIR/kustomization.yaml ]]; then
            "$PY" $B/kustomize_patches.py "$KS" "$KDIR" --size "$EXPECT_SIZE" || die "kustomize_patches.py failed"
        fi
        say "timing kubectl kustomize ($KUSTOMIZE_RUNS runs on $(mb_of_file "$KS") MB)"
        if timeit kubectl_kustomize "$(mb_of_file "$KS")" /dev/null "$OUT/kustomize-out.yaml" "$KUSTOMIZE_RUNS" \
            kubectl kustomize "$KDIR"; then
            KUS_JSON="$OUT/results/kubectl_kustomize.json"
        else
            say "warning: kubectl kustomize failed; its comparison is not measured"
        fi
    else
        say "warning: kubectl not found; the kustomize comparison is skipped"
    fi
fi

# 4. Correctness of shmfix's output (of its last run).
say "checking shmfix's output"
check_args=()
[[ $CHECK_FULL == 1 ]] && check_args+=(--full)
check_rc=0
if [[ $shm_rc != 0 ]]; then
    check_line="shmfix exited with an error (see $OUT/shmfix.stderr); output not checked"
    check_rc=1
else
    check_line=$("$PY" $B/check_output.py "$MAIN" "$OUT/shmfix-out.yaml" "$EXPECT_SIZE" "${check_args[@]}") || check_rc=$?
    printf '%s\n' "$check_line"
fi

bash $B/startup.sh || say "warning: bench/startup.sh exited $? (2: a start-up target missed)"

# 5. Table and targets.
echo
report_rc=0
LOOP_JE_JSON=
[[ -s $OUT/results/libyaml_loop_jemalloc.json ]] && LOOP_JE_JSON=$OUT/results/libyaml_loop_jemalloc.json
"$PY" $B/report.py --loop "$OUT/results/libyaml_loop.json" --shmfix "$OUT/results/shmfix.json" \
    ${KUS_JSON:+--kustomize "$KUS_JSON"} ${LOOP_JE_JSON:+--loop-jemalloc "$LOOP_JE_JSON"} --check-rc "$check_rc" --check-line "$check_line" \
    --size-mb "$SIZE_MB" --out "$OUT/results.md" \
    --info "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --info "machine=$(uname -srm), $(nproc) CPUs, load average $load at start" \
    --info "shmfix=$SHMFIX ($("$SHMFIX" --version 2>/dev/null | head -1 || echo '?'))$(git rev-parse --short HEAD 2>/dev/null | sed 's/^/, commit /')" \
    --info "libyaml=$(pkg-config --modversion yaml-0.1 2>/dev/null || echo '?')" \
    --info "kubectl=$(kubectl version --client 2>/dev/null | tr '\n' ' ' || echo 'absent')" \
    --info "stream=$MAIN ($MAIN_MB MB, seed $SEED); shmfix run as: $SHMFIX $SHM_FLAG < stream > out" \
    || report_rc=$?
OUT=$OUT bash $B/webhook.sh || { w=$?; [[ $w == 2 ]] || die "bench/webhook.sh failed (status $w)"; [[ $report_rc != 0 ]] || report_rc=2; }
[[ -s $OUT/results.md ]] && say "table written to $OUT/results.md"

# 6. Where the time goes: instructions (callgrind) of shmfix and the loop on the first
#    INSTR_MB of the stream, shmfix by phase, and one small document's start-up (instructions.py).
if [[ $INSTR_MB != 0 ]]; then
    if command -v valgrind >/dev/null; then
        say "counting instructions on $INSTR_MB MB (callgrind; takes a minute or two)"
        { echo; "$PY" $B/instructions.py "$MAIN" "$SHMFIX" "$LOOP" "$OUT/instr" --slice-mb "$INSTR_MB" \
            --flag="$SHM_FLAG" --startup-runs "$STARTUP_RUNS"; } | tee -a "$OUT/results.md" \
            || say "warning: instructions.py failed; no instruction counts"
    else
        say "warning: valgrind not found (apt-get install valgrind); no instruction counts"
    fi
    # Issue 15's goal on instructions: per byte of a long stream (fixed costs excluded, the
    # marginal slice), at most 1.25 × the loop's.
    if ! "$PY" - "$OUT/instr/instructions.json" <<'PYEOF' | tee -a "$OUT/results.md"; then
import json, sys
try:
    ratio = json.load(open(sys.argv[1]))["marginal"]["ratio"]
except (OSError, KeyError, TypeError, ValueError):
    print("  [n/a ] instructions per byte ≤ 1.25× libyaml loop: not measured"); sys.exit(1)
print(f"  [{'PASS' if ratio <= 1.25 else 'FAIL'}] instructions per byte ≤ 1.25× libyaml loop: {ratio:.3f}×")
sys.exit(0 if ratio <= 1.25 else 1)
PYEOF
        [[ $report_rc != 0 ]] || report_rc=2
    fi
fi
if [[ $check_rc != 0 ]]; then
    say "FAILED: shmfix's output did not pass check_output.py (see above)"
    exit 1
fi
case $report_rc in
    0 | 2) exit "$report_rc" ;;
    *) die "report.py failed (status $report_rc)" ;;
esac
