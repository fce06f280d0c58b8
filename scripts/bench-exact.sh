#!/usr/bin/env bash
# What the exact engines prove at the targets of issue 5 -> results/exact.md and exact.csv:
# resnet18, squeezenet1_1, vgg16, googlenet, resnet50 x compass-s/m/l x batch 1, 16 x
# latency, edp (60 cases). Every heuristic, then cpsat from the best of their plans; choco and
# mip too on compass-s. Not part of scripts/bench.sh: it takes about 45 minutes.
#
#   scripts/bench-exact.sh              time limit 60 s per exact-engine run
#   scripts/bench-exact.sh 20           another limit (seconds)
#   scripts/bench-exact.sh 60 --resume  continue an interrupted run
#   scripts/bench-exact.sh 5 --quick    resnet18 and squeezenet1_1 on compass-s, batch 16 (about a minute)
#
# Budget (2 cores, JOBS=2 cases at once, one solver thread each, T = 60 s): cpsat uses all of T
# unless it proves optimality; choco and mip use T on the 10 compass-s latency cases and return
# at once on edp (no model of it); the heuristics take a few seconds per case:
#   (60 x 60 s + 20 x 60 s + 60 x 5 s) / 2 ~ 43 min.
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
./pimopt bench --suite exact $quick --timeout "$timeout" --jobs "${JOBS:-2}" --out results || status=$?
echo "bench-exact.sh: took $(( $(date +%s) - start )) s (exit status $status)" >&2
exit "$status"
