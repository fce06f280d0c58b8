#!/usr/bin/env bash
# Issue 23's matrix -> results/zoo.md, zoo.csv and zoo-time.svg: every zoo network (15) on every
# hardware preset (6) at batch 1 and 16, objectives latency and edp (360 cases). Each case runs the
# heuristics (layerwise, greedy, pimcomp-balance, pimcomp-fill, clsa-greedy, compass-ga, dp), then
# the `exact` portfolio from the best of their plans; plans are scored by the simulator. Each row
# has the peak heap and resident set of its run. Not part of scripts/bench.sh.
#
#   scripts/bench-zoo.sh                       time limit 60 s per strategy run, one JVM per case
#   scripts/bench-zoo.sh 20                    another limit (seconds)
#   scripts/bench-zoo.sh 60 --shard 2/8        only cases 2, 10, 18, ... (run the other shards elsewhere)
#   scripts/bench-zoo.sh 60 --resume           continue an interrupted run (finished cases are skipped)
#   scripts/bench-zoo.sh 5 --quick             lenet5 and alexnet on compass-s and puma, batch 16 (8 cases)
#   scripts/bench-zoo.sh 60 --one-jvm          every case in one JVM (faster start; memory figures then
#                                              include earlier cases' resident pages)
#
# As the issue's headline asks, by default every case runs in a fresh JVM (`bench --shard j/N`, N the
# number of cases, so shard j is case j alone), one case at a time (JOBS=1) with 2 solver threads
# (WORKERS=2), into results/zoo-cases/zoo.shard-j-of-N.csv; a JVM killed mid-case (e.g. by the OOM
# killer) leaves its case without rows, which zoo.md counts. Then `bench merge results/zoo-cases`
# writes results/zoo.csv, zoo.md and zoo-time.svg. With --shard i/n only the cases j = i (mod n) run
# and nothing is merged: gather every machine's results/zoo-cases/*.csv in one folder and run
# `./pimopt bench merge FOLDER --out results`. OUT=dir writes elsewhere than results/.
#
# Budget (T = 60 s): exact uses all of T unless it proves optimality; the heuristics take a few
# seconds per case, up to a minute on the large networks and chips; about 2 s per JVM start: at most
# about 360 x (60 + 60 + 2) s = 12 hours one case at a time, much less when most cases are proven
# early. Shard it over machines (each shard one case at a time) for the headline figure.
set -euo pipefail
cd "$(dirname "$0")/.."
timeout="${1:-60}"
shift || true
resume=""
quick=""
shard=""
onejvm=""
while [ $# -gt 0 ]; do
  case "$1" in
    --resume) resume=1 ;;
    --quick) quick="--quick" ;;
    --one-jvm) onejvm=1 ;;
    --shard) shift; shard="${1:-}" ;;
    --shard=*) shard="${1#--shard=}" ;;
    *) echo "bench-zoo.sh: unknown argument '$1' (use --shard i/n, --resume, --quick, --one-jvm)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$shard" ] && ! [[ "$shard" =~ ^[0-9]+/[0-9]+$ ]]; then
  echo "bench-zoo.sh: --shard '$shard': expected i/n, e.g. 0/4" >&2
  exit 2
fi
out="${OUT:-results}"
jobs="${JOBS:-1}"
workers="${WORKERS:-2}"
./pimopt --version >/dev/null   # builds the jar first if needed, outside the timed run
PIMOPT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src pom.xml models 2>/dev/null)" ]; then PIMOPT_COMMIT="$PIMOPT_COMMIT+uncommitted"; fi
export PIMOPT_COMMIT
mkdir -p "$out"
start=$(date +%s)
status=0

if [ -n "$onejvm" ]; then
  if [ -z "$resume" ]; then
    if [ -n "$shard" ]; then
      rm -f "$out/zoo.shard-${shard%/*}-of-${shard#*/}.csv"
    else
      rm -f "$out/zoo.csv" "$out/zoo.md" "$out/zoo-time.svg" "$out"/zoo.shard-*.csv
    fi
  fi
  ./pimopt bench --suite zoo $quick --timeout "$timeout" --jobs "$jobs" --workers "$workers" \
    ${shard:+--shard "$shard"} --out "$out" || status=$?
  echo "bench-zoo.sh: took $(( $(date +%s) - start )) s (exit status $status)" >&2
  exit "$status"
fi

cases_dir="$out/zoo-cases"
mkdir -p "$cases_dir"
total=$(./pimopt bench --suite zoo $quick --list | wc -l)
first=0
step=1
if [ -n "$shard" ]; then
  first="${shard%/*}"
  step="${shard#*/}"
  if [ "$step" -lt 1 ] || [ "$first" -ge "$step" ]; then
    echo "bench-zoo.sh: shard $shard does not exist (use i/n with 0 <= i < n)" >&2
    exit 2
  fi
fi
if [ -z "$resume" ]; then
  if [ -z "$shard" ]; then
    rm -f "$cases_dir"/zoo.shard-*.csv "$out/zoo.csv" "$out/zoo.md" "$out/zoo-time.svg"
  else
    for ((j = first; j < total; j += step)); do rm -f "$cases_dir/zoo.shard-$j-of-$total.csv"; done
  fi
fi
failed=()
ran=0
for ((j = first; j < total; j += step)); do
  ran=$((ran + 1))
  echo "bench-zoo.sh: case $j of $total ($(( $(date +%s) - start )) s so far)" >&2
  rc=0
  ./pimopt bench --suite zoo $quick --timeout "$timeout" --jobs 1 --workers "$workers" --shard "$j/$total" \
    --no-progress --out "$cases_dir" >/dev/null || rc=$?
  if [ "$rc" -ne 0 ]; then
    # 1: the case has ERROR rows (in the CSV); anything else: the JVM died (137: killed, e.g. for memory).
    failed+=("$j:$rc")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench-zoo.sh: ${#failed[@]} of $ran cases ended with a non-zero exit (case:status; 1 = error rows, 137 = killed): ${failed[*]}" >&2
  status=1
fi
if [ -z "$shard" ]; then
  ./pimopt bench merge "$cases_dir" --out "$out" || status=$?
else
  echo "bench-zoo.sh: shard $shard done; after every shard: ./pimopt bench merge FOLDER-WITH-EVERY-zoo.shard-*-of-$total.csv --out $out" >&2
fi
echo "bench-zoo.sh: took $(( $(date +%s) - start )) s (exit status $status)" >&2
exit "$status"
