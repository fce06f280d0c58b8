#!/usr/bin/env bash
# Checks solve's promise about --timeout (the whole command, at most timeout + 2 s) from fresh
# processes, as a user runs it: JVM start, model building, strategies, simulation and writing all
# count. Each run gets an empty --out folder, so "plan" says whether this run wrote plan.json.
#
# Usage: scripts/timeout-check.sh [options] [-- extra solve flags]
#   -n NETS      comma-separated networks (default: all 15 of models/networks/index.txt)
#   -p PRESETS   comma-separated presets (default: all 6 of models/hardware/index.txt)
#   -t SECONDS   comma-separated timeouts in seconds (default: 5,10,30)
#   -b BATCH     batch (default: 16)
#   -s I/N       run only shard I of N (runs numbered in order, run r is in shard r mod N)
#   -o FILE      CSV of the runs (default: results/timeout-check.csv; appended to, header once)
#   -g SECONDS   allowed overrun (default: 2)
# Example (the representative subset):
#   scripts/timeout-check.sh -n googlenet,resnet50,densenet121,bert-base,vit-b16 -p compass-s,compass-l -t 5,10
# Exit status: 0 when every run was within the limit and wrote a plan, 1 otherwise.
# Wall times are of this machine as it was: on a shared machine they move by a second or more.
set -euo pipefail
cd "$(dirname "$0")/.."
nets=$(grep -v '^#' models/networks/index.txt | awk '{print $1}' | sed 's/\.json$//' | paste -sd, -)
presets=$(grep -v '^#' models/hardware/index.txt | paste -sd, -)
timeouts=5,10,30
batch=16
shard=0/1
csv=results/timeout-check.csv
grace=2
while getopts "n:p:t:b:s:o:g:h" opt; do
  case "$opt" in
    n) nets=$OPTARG ;;
    p) presets=$OPTARG ;;
    t) timeouts=$OPTARG ;;
    b) batch=$OPTARG ;;
    s) shard=$OPTARG ;;
    o) csv=$OPTARG ;;
    g) grace=$OPTARG ;;
    h) sed -n '2,18p' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
extra=("$@")
index=${shard%/*}
count=${shard#*/}
if ! [[ "$index" =~ ^[0-9]+$ && "$count" =~ ^[0-9]+$ ]] || [ "$count" -lt 1 ] || [ "$index" -ge "$count" ]; then
  echo "timeout-check: -s wants I/N with 0 <= I < N, got '$shard'" >&2
  exit 2
fi
# Build once here, so that no run pays for it, and run a copy, which a rebuild cannot change mid-sweep.
./pimopt --version > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar="$work/pimopt-all.jar"
cp target/pimopt-all.jar "$jar"
mkdir -p "$(dirname "$csv")"
[ -s "$csv" ] || echo "network,hardware,batch,timeout_s,wall_s,over_s,exit,plan,ok,commit" > "$csv"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src pom.xml models 2>/dev/null || commit="$commit+changes"
run=0 bad=0 done=0 worst=-999
IFS=, read -ra netList <<< "$nets"
IFS=, read -ra presetList <<< "$presets"
IFS=, read -ra timeoutList <<< "$timeouts"
for t in "${timeoutList[@]}"; do
  for net in "${netList[@]}"; do
    for hw in "${presetList[@]}"; do
      r=$run
      run=$((run + 1))
      [ $((r % count)) -eq "$index" ] || continue
      out="$work/out-$r"
      start=$(date +%s%N)
      set +e
      java ${PIMOPT_JAVA_OPTS:-} -jar "$jar" solve --model "$net" --hw "$hw" --batch "$batch" --timeout "${t}s" \
        --out "$out" "${extra[@]}" > "$work/log-$r" 2>&1
      code=$?
      set -e
      end=$(date +%s%N)
      wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
      over=$(awk -v w="$wall" -v t="$t" 'BEGIN { printf "%.2f", w - t }')
      plan=no
      [ -s "$out/plan.json" ] && [ -s "$out/summary.json" ] && plan=yes
      ok=$(awk -v o="$over" -v g="$grace" -v p="$plan" 'BEGIN { print (o <= g && p == "yes") ? "yes" : "no" }')
      [ "$ok" = yes ] || { bad=$((bad + 1)); tail -n 3 "$work/log-$r" | sed "s/^/  $net $hw ${t}s: /" >&2; }
      worst=$(awk -v a="$worst" -v b="$over" 'BEGIN { print (b > a) ? b : a }')
      done=$((done + 1))
      line="$net,$hw,$batch,$t,$wall,$over,$code,$plan,$ok,$commit"
      echo "$line" >> "$csv"
      echo "$line"
    done
  done
done
echo "timeout-check: $done run(s), $bad over timeout + ${grace} s or without a plan; largest overrun ${worst} s; rows in $csv"
[ "$bad" -eq 0 ]
