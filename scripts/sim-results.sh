#!/usr/bin/env bash
# Regenerates results/model-fidelity.{md,csv} (org.pimopt.bench.FidelityBench: every strategy's plan,
# the model against the simulator) and results/cross-layer.{md,csv}.
# Usage: scripts/sim-results.sh [exact-seconds [jobs]] (default: 20 s for cpsat per case, 1 job).
# With jobs > 1 the cases are split into that many shards run side by side (each exact run then
# has fewer threads); an interrupted run resumes from results/fidelity-shard-*.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests package
mkdir -p results
exact="${1:-20}"
jobs="${2:-1}"
command="scripts/sim-results.sh${*:+ $*}"
pids=()
for ((i = 0; i < jobs; i++)); do
  java -cp target/pimopt-all.jar org.pimopt.bench.SimBench fidelity "results/fidelity-shard-$i.csv" "$command" 1,16 "$exact" "$i/$jobs" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
shards=()
for ((i = 0; i < jobs; i++)); do shards+=("results/fidelity-shard-$i.csv"); done
java -cp target/pimopt-all.jar org.pimopt.bench.SimBench fidelity-report results "$command" "$exact" "${shards[@]}"
rm -f "${shards[@]}"
java -cp target/pimopt-all.jar org.pimopt.bench.SimBench cross-layer results "$command"
echo "wrote results/model-fidelity.md, results/model-fidelity.csv, results/cross-layer.md, results/cross-layer.csv"
