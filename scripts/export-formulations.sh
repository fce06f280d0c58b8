#!/usr/bin/env bash
# Regenerates the MILP exports in formulations/ (any MILP solver reads them: SCIP, CBC, HiGHS,
# Gurobi, CPLEX...). The model is the one of formulations/partitioning.md, section "MILP".
# Run from anywhere; builds the jar if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

export_one() {
  local model="$1" hw="$2" batch="$3" objective="$4" k="$5" name="$6"
  for format in lp mps; do
    ./pimopt export --format "$format" --model "$model" --hw "$hw" --batch "$batch" \
      --objective "$objective" --max-partitions "$k" -o "formulations/$name.$format" 2>/dev/null
    chmod 644 "formulations/$name.$format"
  done
}

# lenet5 fits compass-s in one partition; K = 3 leaves room for the solver to try more.
export_one lenet5 compass-s 1 latency 3 lenet5-compass-s-b1-latency
export_one lenet5 compass-s 16 energy 3 lenet5-compass-s-b16-energy
