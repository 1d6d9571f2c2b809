#!/usr/bin/env bash
# shmfix-webhook under load: a real load generator (wrk) on loopback, keep-alive, 32
# connections, POSTing one AdmissionReview of a typical ~5 KB GPU pod to /mutate over TLS.
# Reports requests/s and p50/p99 latency, checks the answer, and appends its rows to
# $OUT/results.md (the table of bench/run.sh).
#
# Environment:
#   WEBHOOK       the shmfix-webhook binary (default .build/release/shmfix-webhook)
#   OUT           work and results folder (default bench/out)
#   DURATION      seconds of load per run (default 10)
#   RUNS          runs (default 3); the best run by requests/s is reported, with all runs listed
#   CONNECTIONS   open connections (default 32)
#   THREADS       wrk threads (default 1: the generator shares the 2 cores with the server)
#
# Exit status: 0 answers correct and targets met (>= 3000 requests/s, p99 <= 20 ms);
# 1 the webhook failed or answered wrongly; 2 correct but a target was missed.
set -euo pipefail

cd "$(dirname "$0")/.."
WEBHOOK=${WEBHOOK:-.build/release/shmfix-webhook}
OUT=${OUT:-bench/out}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
MIN_RPS=3000
MAX_P99_MS=20

say() { printf '%s\n' "bench/webhook: $*" >&2; }
die() { say "error: $*"; exit 1; }

need() { # TOOL [DEBIAN-PACKAGE]
    command -v "$1" >/dev/null && return
    say "installing ${2:-$1}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${2:-$1}"; } >/dev/null || die "cannot install ${2:-$1}"
}
need wrk
need openssl
need curl
[[ -x $WEBHOOK ]] || die "no webhook binary at '$WEBHOOK': run 'make release' (or set WEBHOOK=...)"

WORK="$OUT/webhook"
rm -rf "$WORK"
mkdir -p "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=bench \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null || die "openssl req failed"

# The request: the GPU pod fixture in an AdmissionReview, indented as the API server's JSON is not
# (it sends compact JSON; indentation only makes the body the typical ~5 KB of a real GPU pod).
python3 - "$WORK/review.json" <<'PY' || die "cannot write the request"
import json, sys
pod = json.load(open("Tests/WebhookFixtures/gpu-pod/pod.json"))
review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
    "uid": "bench-0000", "kind": {"group": "", "version": "v1", "kind": "Pod"},
    "resource": {"group": "", "version": "v1", "resource": "pods"}, "namespace": "ml-serving",
    "operation": "CREATE", "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
    "object": pod, "oldObject": None, "dryRun": False}}
open(sys.argv[1], "w").write(json.dumps(review, indent=1))
PY
BYTES=$(wc -c <"$WORK/review.json")
cat >"$WORK/post.lua" <<LUA
local f = assert(io.open("$WORK/review.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

"$WEBHOOK" --shm-size=2gb --address 127.0.0.1 --port 0 --tls-cert-file "$WORK/tls.crt" \
    --tls-private-key-file "$WORK/tls.key" --log-level info 2>"$WORK/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
PORT=
for _ in $(seq 100); do
    PORT=$(sed -n 's/.*webhook listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)
    [[ -n $PORT ]] && break
    kill -0 $PID 2>/dev/null || die "the webhook exited: $(cat "$WORK/server.log")"
    sleep 0.1
done
[[ -n $PORT ]] || die "the webhook did not report its port"
URL="https://127.0.0.1:$PORT/mutate"

# The answer must be the fix, not just fast: uid, allowed and the exact recorded patch.
curl -sS --cacert "$WORK/tls.crt" -H 'Content-Type: application/json' --data-binary @"$WORK/review.json" "$URL" >"$WORK/answer.json" \
    || die "the webhook did not answer"
python3 - "$WORK/answer.json" <<'PY' || die "wrong answer: $(cat "$WORK/answer.json")"
import base64, json, sys
r = json.load(open(sys.argv[1]))["response"]
expected = open("Tests/WebhookFixtures/gpu-pod/patch.json").read().strip()
assert r["uid"] == "bench-0000" and r["allowed"] is True and r["patchType"] == "JSONPatch", r
assert base64.b64decode(r["patch"]).decode() == expected, "patch differs from Tests/WebhookFixtures/gpu-pod/patch.json"
PY

say "warming up"
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$WORK/post.lua" "$URL" >/dev/null
load=$(cut -d' ' -f1 /proc/loadavg)
best_rps=0 best_p50= best_p99= all=
for run in $(seq "$RUNS"); do
    say "run $run of $RUNS: ${DURATION}s, $CONNECTIONS connections"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/post.lua" "$URL" >"$WORK/wrk-$run.txt"
    if grep -q -E 'Non-2xx|Socket errors' "$WORK/wrk-$run.txt"; then
        cat "$WORK/wrk-$run.txt" >&2
        die "errors under load (run $run)"
    fi
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk-$run.txt")
    ms() { awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' "$WORK/wrk-$run.txt"; }
    p50=$(ms 50%)
    p99=$(ms 99%)
    say "run $run: $rps requests/s, p50 $p50 ms, p99 $p99 ms"
    all+="${all:+, }$(printf '%.0f' "$rps")"
    if awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then best_rps=$rps best_p50=$p50 best_p99=$p99; fi
done
kill -TERM $PID
wait $PID || die "the webhook did not exit 0 on SIGTERM"
trap - EXIT

verdict=met
awk -v r="$best_rps" -v p="$best_p99" -v mr=$MIN_RPS -v mp=$MAX_P99_MS 'BEGIN { exit !(r >= mr && p <= mp) }' || verdict=missed
table=$(cat <<MD

## shmfix-webhook (bench/webhook.sh)

wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'), $THREADS thread, $CONNECTIONS keep-alive TLS connections on loopback, ${DURATION}s × $RUNS runs after a 2 s warm-up; POST /mutate of one AdmissionReview ($BYTES bytes, a GPU pod; the answer's patch checked); load average $load at start; generator and server share $(nproc) cores.

| endpoint | requests/s (best run) | p50 ms | p99 ms | all runs, requests/s | targets (≥ $MIN_RPS/s, p99 ≤ $MAX_P99_MS ms) |
|---|---|---|---|---|---|
| shmfix-webhook /mutate | $(printf '%.0f' "$best_rps") | $best_p50 | $best_p99 | $all | $verdict |
MD
)
printf '%s\n' "$table"
printf '%s\n' "$table" >>"$OUT/results.md"
[[ $verdict == met ]] || exit 2
