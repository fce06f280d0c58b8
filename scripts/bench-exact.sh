#!/usr/bin/env bash
# What the exact engines prove at the targets of issues 5, 19 and 20 -> results/exact.md and exact.csv:
# resnet18, squeezenet1_1, vgg16, googlenet, resnet50, mobilenet_v2, densenet121, bert-base,
# vit-b16 x compass-s/m/l x batch 1, 16 x latency, edp (108 cases). Every heuristic, then the
# `exact` portfolio (dp-lattice, then CP-SAT) from the best of their plans; on the 36 compass-s
# cases also cpsat, choco and mip, each alone. Plans are scored by the simulator, so each case also
# shows how the portfolio's proven plan simulates against the best simulated plan. Not part of
# scripts/bench.sh.
#
#   scripts/bench-exact.sh              time limit 60 s per exact-engine run
#   scripts/bench-exact.sh 20           another limit (seconds)
#   scripts/bench-exact.sh 60 --resume  continue an interrupted run
#   scripts/bench-exact.sh 5 --quick    resnet18 and squeezenet1_1 on compass-s, batch 16 (about a minute)
#
# Budget (T = 60 s): exact uses all of T unless it proves optimality; cpsat, choco and mip alone
# use T on most of the 36 compass-s cases (mip returns soon on edp); the heuristics take a few
# seconds per case, up to a minute on the large networks: at most about (108 + 3 x 36) x 60 s +
# 108 x 20 s, two cases at a time (JOBS=2, one solver thread each): under 2 hours, about 80
# minutes when most cases are proven early.
set -euo pipefail
cd "$(dirname "$0")/.."
timeout="${1:-60}"
shift || true
resume=""
quick=""
for arg in "$@"; do
  case "$arg" in
    --resume) resume=1 ;;
    --quick) quick="--quick" ;;
    *) echo "bench-exact.sh: unknown argument '$arg' (use --resume, --quick)" >&2; exit 2 ;;
  esac
done
./pimopt --version >/dev/null   # builds the jar first if needed, outside the timed run
PIMOPT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src pom.xml models 2>/dev/null)" ]; then PIMOPT_COMMIT="$PIMOPT_COMMIT+uncommitted"; fi
export PIMOPT_COMMIT
if [ -z "$resume" ]; then
  rm -f results/exact.csv results/exact.md results/exact.shard-*.csv
fi
start=$(date +%s)
status=0
./pimopt bench --suite exact $quick --verify --timeout "$timeout" --jobs "${JOBS:-2}" --out results || status=$?
echo "bench-exact.sh: took $(( $(date +%s) - start )) s (exit status $status)" >&2
exit "$status"
