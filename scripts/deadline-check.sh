#!/usr/bin/env bash
# Checks that named cases keep their time limit (issues 20 and 22): each case is one
# `solve --strategy S --timeout T` from a fresh process, as a user runs it, with the wall time of
# the whole command against T + 2 s, and the strategy's own time (summary.json's wallMillis, what
# bench's exact suite reports per strategy run) against the same. scripts/timeout-check.sh sweeps
# networks x presets with every strategy; this runs a list of cases that differ in batch,
# objective and strategy, one at a time.
#
# Usage: scripts/deadline-check.sh [options] CASE...
#   CASE         NET:PRESET:BATCH:OBJECTIVE:STRATEGY, e.g. vit-b16:compass-s:1:edp:cpsat; NET may be one of
#                bench's synthetic networks (synthetic-dag-1000-s1: the scaling suite's cases)
#   -t SECONDS   timeout (default: 60)
#   -w WORKERS   solver threads (default: 1, as each run of `bench --jobs 2` on 2 cores)
#   -r N         runs of each case (default: 1)
#   -o FILE      CSV of the runs (default: results/deadline-check.csv; appended to, header once)
#   -g SECONDS   allowed overrun (default: 2)
# Example (the overruns of results/exact.md at 60 s):
#   scripts/deadline-check.sh vit-b16:compass-s:1:edp:cpsat densenet121:compass-l:16:latency:exact
# The overruns of results/scaling.md at 30 s (mip, choco): scripts/deadline-check.sh -t 30 -s scaling
#   -s SET       add a named set of cases: 'scaling' (mip and choco on the scaling suite's overruns)
# PIMOPT_JAR=FILE runs that jar instead of this tree's (e.g. an older build, for a before/after);
# every row also has the process's peak resident memory (MB, from /usr/bin/time when present).
# Each row also has the load average at the start of the run (the machine may be shared) and the
# strategy's timing stats (buildMs, marginMs, hint/pricing/solve wall, limit and presolve ms).
# Exit status: 0 when every run ended within the limit and wrote a plan, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
timeout=60
workers=1
runs=1
csv=results/deadline-check.csv
grace=2
scaling_cases="alexnet:compass-s:16:latency:mip alexnet:compass-s:16:latency:choco
  synthetic-chain-200-s1:compass-s:16:latency:mip synthetic-chain-200-s1:compass-s:16:latency:choco
  synthetic-chain-1000-s1:compass-s:16:latency:choco synthetic-dag-500-s1:compass-s:16:latency:choco
  synthetic-dag-1000-s1:compass-s:16:latency:choco synthetic-dag-200-s1:compass-s:16:latency:choco
  vgg11:compass-s:16:latency:choco vgg11:compass-s:16:latency:mip vgg19:compass-s:16:latency:mip
  synthetic-dag-200-s1:compass-s:16:latency:mip"
extra=()
while getopts "t:w:r:o:g:s:h" opt; do
  case "$opt" in
    t) timeout=$OPTARG ;;
    w) workers=$OPTARG ;;
    r) runs=$OPTARG ;;
    o) csv=$OPTARG ;;
    g) grace=$OPTARG ;;
    s) [ "$OPTARG" = scaling ] || { echo "deadline-check: unknown set '$OPTARG' (scaling)" >&2; exit 2; }
       read -r -a extra <<< "$(echo $scaling_cases)" ;;
    h) sed -n '2,25p' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
set -- "$@" "${extra[@]}"
[ $# -gt 0 ] || { echo "deadline-check: name at least one case NET:PRESET:BATCH:OBJECTIVE:STRATEGY" >&2; exit 2; }
# Build once here, and run a copy, which a rebuild cannot change mid-sweep.
[ -n "${PIMOPT_JAR:-}" ] || ./pimopt --version > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar="$work/pimopt-all.jar"
cp "${PIMOPT_JAR:-target/pimopt-all.jar}" "$jar"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$work/rss")
mkdir -p "$(dirname "$csv")"
[ -s "$csv" ] || echo "network,hardware,batch,objective,strategy,timeout_s,workers,load1,wall_s,over_s,strategy_s,status,plan,ok,commit,stats,rss_mb" > "$csv"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src pom.xml models 2>/dev/null || commit="$commit+changes"
[ -z "${PIMOPT_JAR:-}" ] || commit="jar:$(basename "$PIMOPT_JAR")"
bad=0 done=0 worst=-999
for c in "$@"; do
  IFS=: read -r net hw batch objective strategy <<< "$c"
  if [ -z "$strategy" ]; then
    echo "deadline-check: '$c' is not NET:PRESET:BATCH:OBJECTIVE:STRATEGY" >&2
    exit 2
  fi
  for ((r = 0; r < runs; r++)); do
    out="$work/out-$done"
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s%N)
    set +e
    rm -f "$work/rss"
    "${timer[@]}" java ${PIMOPT_JAVA_OPTS:-} -jar "$jar" solve --model "$net" --hw "$hw" --batch "$batch" --objective "$objective" \
      --strategy "$strategy" --timeout "${timeout}s" --workers "$workers" --no-simulate --out "$out" > "$work/log" 2>&1
    code=$?
    set -e
    end=$(date +%s%N)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    over=$(awk -v w="$wall" -v t="$timeout" 'BEGIN { printf "%.2f", w - t }')
    plan=no strategy_s= status= stats=
    if [ -s "$out/plan.json" ] && [ -s "$out/summary.json" ]; then
      plan=yes
      # The strategy's own figures: its wall time, status and timing stats (no jq on every machine).
      read -r strategy_s status stats < <(python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["strategy"] == sys.argv[2]][0]
keys = ("lattice.ms", "buildMs", "marginMs", "hintMs", "hintLimitMs", "hintPresolveMs", "pricingMs", "pricingLimitMs",
        "pricingPresolveMs", "solveMs", "solveLimitMs", "solvePresolveMs")
stats = " ".join(k + "=" + str(r["stats"][k]) for k in keys if k in r.get("stats", {}))
print("%.2f" % (r["wallMillis"] / 1000), r["status"], stats or "-")' "$out/summary.json" "$strategy")
    fi
    ok=$(awk -v o="$over" -v g="$grace" -v p="$plan" 'BEGIN { print (o <= g && p == "yes") ? "yes" : "no" }')
    [ "$ok" = yes ] || { bad=$((bad + 1)); tail -n 3 "$work/log" | sed "s/^/  $c: /" >&2; }
    worst=$(awk -v a="$worst" -v b="$over" 'BEGIN { print (b > a) ? b : a }')
    done=$((done + 1))
    rss=$( [ -s "$work/rss" ] && awk '{ printf "%d", $1 / 1024 }' "$work/rss" | tail -n 1 || echo "")
    line="$net,$hw,$batch,$objective,$strategy,$timeout,$workers,$load,$wall,$over,$strategy_s,$status,$plan,$ok,$commit,$stats,$rss"
    echo "$line" >> "$csv"
    echo "$line"
  done
done
echo "deadline-check: $done run(s), $bad over timeout + ${grace} s or without a plan; largest overrun ${worst} s; rows in $csv"
[ "$bad" -eq 0 ]
