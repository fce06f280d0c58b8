#!/usr/bin/env bash
# Regenerates results/model-fidelity.{md,csv} and results/cross-layer.{md,csv} with the simulator
# (org.pimopt.bench.SimBench). Usage: scripts/sim-results.sh [strategy [batch]] (default: greedy 16).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests package
mkdir -p results
strategy="${1:-greedy}"
batch="${2:-16}"
java -cp target/pimopt-all.jar org.pimopt.bench.SimBench fidelity results "scripts/sim-results.sh${*:+ $*}" "$strategy" "$batch"
java -cp target/pimopt-all.jar org.pimopt.bench.SimBench cross-layer results "scripts/sim-results.sh${*:+ $*}"
echo "wrote results/model-fidelity.md, results/model-fidelity.csv, results/cross-layer.md, results/cross-layer.csv"
