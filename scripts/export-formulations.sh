#!/usr/bin/env bash
# Regenerates the MILP exports in formulations/ (any MILP solver reads them: SCIP, CBC, HiGHS,
# Gurobi, CPLEX...). The partitioning model is the one of formulations/partitioning.md, section "MILP";
# placement and replacement the "MILP" sections of formulations/placement.md and replacement.md.
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

# Placement and write schedule: lenet5's dp plan on compass-tiny (compass-s cut to 2x2 cores of 2
# crossbars, so lenet5 needs 4 partitions and crossbars are rewritten). Placement: partition 1
# (conv2 x6 and half of fc1: 7 items, 6 communicating pairs); replacement: first-fit placement,
# the crossbar assignment, 21 writes, with overlap.
export_other() {
  local what="$1" name="$2"; shift 2
  for format in lp mps; do
    ./pimopt export --format "$format" --what "$what" --model lenet5 --hw formulations/compass-tiny.json --batch 1 \
      "$@" -o "formulations/$name.$format" 2>/dev/null
    chmod 644 "formulations/$name.$format"
  done
}
export_other placement lenet5-placement --partition 1
export_other replacement lenet5-replacement
