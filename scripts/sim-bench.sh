#!/usr/bin/env bash
# Simulator speed: events per second and wall time of simulating resnet50 and vgg16 at batch 16 on
# compass-s (greedy plans), in-process (median of 5 after a warm-up) and end to end through
# 'pimopt simulate' (JVM start, model loading, validation, simulation, report). Prints the tables
# and writes them to results/sim-bench.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests package
mkdir -p results
exec > >(tee results/sim-bench.md.tmp)
echo "# Simulator speed"
echo
java -cp target/pimopt-all.jar org.pimopt.bench.SimBench speed
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"; [ -f results/sim-bench.md.tmp ] && mv results/sim-bench.md.tmp results/sim-bench.md' EXIT
echo
echo "| network | schedule | 'pimopt simulate' wall s | trace MB |"
echo "| --- | --- | ---: | ---: |"
for m in resnet50 vgg16; do
  java -jar target/pimopt-all.jar solve -m "$m" --hw compass-s -b 16 -s greedy --no-simulate --out "$tmp/$m" > /dev/null
  for s in pipeline cross-layer; do
    start=$(date +%s.%N)
    java -jar target/pimopt-all.jar simulate --plan "$tmp/$m/plan.json" --schedule "$s" --trace "$tmp/$m-$s.json" > /dev/null
    end=$(date +%s.%N)
    size=$(stat -c %s "$tmp/$m-$s.json")
    printf "| %s | %s | %.2f | %.2f |\n" "$m" "$s" "$(echo "$end - $start" | bc)" "$(echo "$size / 1000000" | bc -l)"
  done
done
