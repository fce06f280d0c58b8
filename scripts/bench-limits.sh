#!/usr/bin/env bash
# Limits a designer states (formulations/limits.md), measured with the exact portfolio:
#  A. ReRAM presets (isaac, puma) x resnet50, vgg16, bert-base, batch 16: the optimal latency as the
#     required wear-levelled lifetime grows (1 month .. 10 years at 100 and 1,000 inferences/s);
#  B. compass-s x resnet18, squeezenet1_1, batch 16: the least energy under a latency deadline swept
#     from the fastest plan to 2x slower.
# Usage: scripts/bench-limits.sh [TIMEOUT_SECONDS] > results/constraints.md   (one case at a time)
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
echo "## A. Optimal latency as the required lifetime grows (batch 16)"
echo
echo "| network | chip | rate /s | lifetime | status (proven by) | latency ms | partitions | cells written per batch | writes per cell per batch | lifetime reached | note |"
echo "|---|---|---:|---|---|---:|---:|---:|---:|---|---|"
for net in resnet50 vgg16 bert-base; do
  for hw in isaac puma; do
    total=$(cells_of $hw); endurance=$(endurance_of $hw)
    for rate in none 100 1000; do
      for life in 1mo 1y 5y 10y; do
        if [ $rate = none ]; then
          [ $life = 1mo ] || continue
          args=(); life_label="none"
        else
          args=(--limit "lifetime=${life}@${rate}/s"); life_label=$life
        fi
        d="$WORK/$net-$hw-$rate-$life"
        code=$(solve "$d" --model $net --hw $hw --batch 16 --strategy exact "${args[@]}")
        if [ "$code" = 0 ]; then
          exact_row "$d" | jq -r --arg net $net --arg hw $hw --arg rate $rate --arg life $life_label \
              --argjson total "$total" --argjson endurance "$endurance" '
            def years(r): if .cellsWritten == 0 or r == "none" then "unlimited"
              else ((($endurance * $total * 16) / (.cellsWritten * (r|tonumber))) / 31557600 | . * 100 | round / 100 | tostring) + " y" end;
            "| \($net) | \($hw) | \($rate) | \($life) | \(.status) (\(.stats.provenBy // "-")) | \(.latencyNs / 1e6 | . * 1000 | round / 1000) | \(.partitions) | \(.cellsWritten) | \(.cellsWritten / $total | . * 1000 | round / 1000) | \(years($rate)) | |"'
        else
          why=$(grep '^pimopt:' "$d.err" | tail -1 | sed 's/.*nothing written to [^;]*; //; s/|/\\|/g')
          echo "| $net | $hw | $rate | $life_label | no plan (exit $code) | - | - | - | - | - | $why |"
        fi
      done
    done
  done
done
echo
echo "## B. Least energy under a latency deadline (compass-s, batch 16)"
echo
echo "| network | deadline (x fastest) | deadline ms | status (proven by) | latency ms | energy per sample uJ | partitions | cells written per batch |"
echo "|---|---:|---:|---|---:|---:|---:|---:|"
for net in resnet18 squeezenet1_1; do
  d="$WORK/$net-fastest"
  solve "$d" --model $net --hw compass-s --batch 16 --strategy exact > /dev/null
  fastest=$(exact_row "$d" | jq -r '.latencyNs')
  for f in 1.0 1.1 1.25 1.5 1.75 2.0 none; do
    if [ $f = none ]; then args=(); deadline="-"; else
      deadline=$(awk -v l="$fastest" -v f="$f" 'BEGIN { printf "%.0f", l * f }')
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
