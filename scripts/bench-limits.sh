#!/usr/bin/env bash
# Limits a designer states (formulations/limits.md), measured with the exact portfolio:
#  A. ReRAM presets (isaac, puma) x resnet50, vgg16, bert-base, batch 16: the optimal latency as the
#     required wear-levelled lifetime grows, at 100 and 1,000 inferences/s, from the fastest plan's
#     lifetime to the longest any plan reaches (and just past it);
#  B. compass-s x resnet18, squeezenet1_1, batch 16: the least energy under a latency deadline swept
#     from the fastest plan to 2x slower.
# Usage: [PARTS="A B"] [NETS="resnet50 vgg16 bert-base"] scripts/bench-limits.sh [TIMEOUT_SECONDS] > results/constraints.md   (one case at a time)
set -euo pipefail
cd "$(dirname "$0")/.."
T=${1:-30}
JAR=target/pimopt-all.jar
[ -f "$JAR" ] || ./mvnw -B -ntp -q -DskipTests package
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
solve() {   # solve OUTDIR ARGS...: runs, keeps stderr's last pimopt line, prints the exit code
  local dir=$1; shift
  set +e
  java -jar "$JAR" solve "$@" --timeout "${T}s" --no-simulate --json -o "$dir" > "$dir.json" 2> "$dir.err"
  local code=$?
  set -e
  echo $code
}
cells_of() { jq -r '(.cores * .crossbarsPerCore * .crossbarRows * .crossbarCols)' "models/hardware/$1.json"; }
endurance_of() { jq -r '.enduranceWrites' "models/hardware/$1.json"; }
exact_row() { jq -r '.results[] | select(.strategy=="exact")' "$1/summary.json"; }

echo "# Limits: lifetime and deadlines (\`scripts/bench-limits.sh $T\`)"
echo
echo "Made by \`scripts/bench-limits.sh $T\` at commit $(git rev-parse --short HEAD) on $(date -u +%Y-%m-%d), $(nproc) cores,"
echo "one case at a time; each case is \`pimopt solve --strategy exact --timeout ${T}s\` with the limit shown."
echo "Lifetime is wear-levelled (cost/Lifetime: the cells written per batch spread over all the chip's"
echo "cells) at the chip's endurance, and holds the rate too (a batch within batch/rate)."
echo
PARTS=${PARTS:-A B}
if [[ " $PARTS " == *" A "* ]]; then
echo "## A. Optimal latency as the required lifetime grows (batch 16)"
echo
echo "Per network and chip: the fastest plan (no limit) and the plan of fewest writes (\`--objective writes\`);"
echo "their wear-levelled lifetimes at each rate, T* and Tmax, bracket where the lifetime binds. Between"
echo "them, the fastest plan that lasts a quarter, half and three quarters of the way from T* to Tmax,"
echo "Tmax itself, and 1.1 x Tmax, which no plan reaches (lifetimes in years of 365.25 days)."
echo
yr() { awk -v s="$1" 'BEGIN { y = s / 31557600; if (y >= 100) printf "%.0f", y; else if (y >= 1) printf "%.2f", y; else printf "%.3g", y }'; }
for net in ${NETS:-resnet50 vgg16 bert-base}; do
  for hw in isaac puma; do
    total=$(cells_of $hw); endurance=$(endurance_of $hw)
    d="$WORK/$net-$hw-fastest"; c1=$(solve "$d" --model $net --hw $hw --batch 16 --strategy exact)
    d2="$WORK/$net-$hw-fewest"; c2=$(solve "$d2" --model $net --hw $hw --batch 16 --objective writes --strategy exact)
    if [ "$c1" != 0 ] || [ "$c2" != 0 ]; then echo "$net on $hw: no plan ($c1, $c2)"; echo; continue; fi
    L=$(exact_row "$d" | jq -r '.latencyNs'); W=$(exact_row "$d" | jq -r '.cellsWritten'); S1=$(exact_row "$d" | jq -r '.status')
    Wmin=$(exact_row "$d2" | jq -r '.cellsWritten'); S2=$(exact_row "$d2" | jq -r '.status')
    echo "### $net on $hw"
    echo
    echo "Fastest plan: $(awk -v l=$L 'BEGIN{printf "%.3f", l/1e6}') ms per batch ($S1), $W cells written per batch;"
    echo "fewest writes: $Wmin cells per batch ($S2); the chip has $total cells of endurance $endurance."
    echo
    echo "| rate /s | lifetime required | status (proven by) | latency ms | vs fastest | partitions | cells written per batch | writes per cell per batch | note |"
    echo "|---:|---|---|---:|---:|---:|---:|---:|---|"
    for rate in 100 1000; do
      if [ "$W" = 0 ]; then
        # The fastest plan keeps its weights: any lifetime holds if the rate does (16/rate s per batch).
        dd="$WORK/$net-$hw-$rate-resident"
        code=$(solve "$dd" --model $net --hw $hw --batch 16 --strategy exact --limit "lifetime=100y@${rate}/s")
        if [ "$code" = 0 ]; then
          exact_row "$dd" | jq -r --arg rate $rate --argjson total "$total" --argjson fast "$L" '
            "| \($rate) | 100 y (weights resident) | \(.status) (\(.stats.provenBy // "-")) | \(.latencyNs / 1e6 | . * 1000 | round / 1000) | \(.latencyNs / $fast | . * 1000 | round / 1000)x | \(.partitions) | \(.cellsWritten) | \(.cellsWritten / $total | . * 1000 | round / 1000) | |"'
        else
          why=$(grep '^pimopt:' "$dd.err" | tail -1 | sed 's/.*nothing written to [^;]*; //; s/|/\\|/g')
          echo "| $rate | 100 y (weights resident) | no plan (exit $code) | - | - | - | - | - | the rate needs $(awk -v r=$rate 'BEGIN{printf "%.1f", 16/r*1e3}') ms per batch; $why |"
        fi
        continue
      fi
      tstar=$(awk -v n=$endurance -v c=$total -v w=$W -v r=$rate 'BEGIN { printf "%.12g", n * c * 16 / (w * r) }')
      tmax=$( [ "$Wmin" = 0 ] && echo inf || awk -v n=$endurance -v c=$total -v w=$Wmin -v r=$rate 'BEGIN { printf "%.12g", n * c * 16 / (w * r) }')
      echo "| $rate | T* = $(yr $tstar) y, Tmax = $( [ $tmax = inf ] && echo unlimited || echo "$(yr $tmax) y") | | | | | | | fastest plan's and longest lifetimes at this rate |"
      for f in 0.25 0.5 0.75 max over; do
        case $f in
          max) [ $tmax = inf ] && continue; t=$(awk -v t=$tmax 'BEGIN { printf "%.12g", t * (1 - 1e-9) }') ;;
          over) [ $tmax = inf ] && continue; t=$(awk -v t=$tmax 'BEGIN { printf "%.12g", t * 1.1 }') ;;
          *) if [ $tmax = inf ]; then t=$(awk -v t=$tstar -v f=$f 'BEGIN { printf "%.12g", t * (1 + 4 * f) }')
             else t=$(awk -v a=$tstar -v b=$tmax -v f=$f 'BEGIN { printf "%.12g", a + f * (b - a) }'); fi ;;
        esac
        dd="$WORK/$net-$hw-$rate-$f"
        code=$(solve "$dd" --model $net --hw $hw --batch 16 --strategy exact --limit "lifetime=${t}s@${rate}/s")
        label="$(yr $t) y ($f)"; [ $f = max ] && label="$(yr $t) y (Tmax)"; [ $f = over ] && label="$(yr $t) y (1.1 Tmax)"
        if [ "$code" = 0 ]; then
          exact_row "$dd" | jq -r --arg rate $rate --arg lt "$label" --argjson total "$total" --argjson fast "$L" '
            "| \($rate) | \($lt) | \(.status) (\(.stats.provenBy // "-")) | \(.latencyNs / 1e6 | . * 1000 | round / 1000) | \(.latencyNs / $fast | . * 1000 | round / 1000)x | \(.partitions) | \(.cellsWritten) | \(.cellsWritten / $total | . * 1000 | round / 1000) | |"'
        else
          why=$(grep '^pimopt:' "$dd.err" | tail -1 | sed 's/.*nothing written to [^;]*; //; s/|/\\|/g')
          echo "| $rate | $label | no plan (exit $code) | - | - | - | - | - | $why |"
        fi
      done
    done
    echo
  done
done
fi
if [[ " $PARTS " == *" B "* ]]; then
echo
echo "## B. Least energy under a latency deadline (compass-s, batch 16)"
echo
echo "| network | deadline (x fastest) | deadline ms | status (proven by) | latency ms | energy per sample uJ | partitions | cells written per batch |"
echo "|---|---:|---:|---|---:|---:|---:|---:|"
for net in resnet18 squeezenet1_1; do
  d="$WORK/$net-fastest"
  solve "$d" --model $net --hw compass-s --batch 16 --strategy exact > /dev/null
  fastest=$(exact_row "$d" | jq -r '.latencyNs')
  for f in 1.0 1.005 1.01 1.02 1.05 1.1 1.5 2.0 none; do
    if [ $f = none ]; then args=(); deadline="-"; else
      deadline=$(awk -v l="$fastest" -v f="$f" 'BEGIN { x = l * f; printf "%.0f", (x > int(x)) ? int(x) + 1 : x }')
      args=(--limit "latency=${deadline}ns"); deadline=$(awk -v d="$deadline" 'BEGIN { printf "%.3f", d / 1e6 }')
    fi
    d="$WORK/$net-energy-$f"
    code=$(solve "$d" --model $net --hw compass-s --batch 16 --objective energy --strategy exact "${args[@]}")
    if [ "$code" = 0 ]; then
      exact_row "$d" | jq -r --arg net $net --arg f $f --arg dl "$deadline" '
        "| \($net) | \($f) | \($dl) | \(.status) (\(.stats.provenBy // "-")) | \(.latencyNs / 1e6 | . * 1000 | round / 1000) | \(.energyPerSamplePj / 1e6 | . * 1000 | round / 1000) | \(.partitions) | \(.cellsWritten) |"'
    else
      echo "| $net | $f | $deadline | no plan (exit $code): $(grep '^pimopt:' "$d.err" | tail -1 | sed 's/|/\\|/g') | - | - | - | - |"
    fi
  done
done
fi
