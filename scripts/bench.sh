#!/usr/bin/env bash
# Regenerates every benchmark result in results/: compass, optimality, scaling and pimcomp
# (SUITE.md, SUITE.csv and SVG plots each), plans scored by the simulator (bench --scorer sim).
#
#   scripts/bench.sh            full suites (under 60 min on 2 cores)
#   scripts/bench.sh --quick    small variant (under 5 min on 2 cores); its files say "Quick variant"
#   scripts/bench.sh --resume   continue an interrupted run instead of starting afresh
#
# Environment: JOBS (cases at once, default 2), PEER_MODELS (PIMCOMP-NN model folder,
# default ../shared/peer-models/pimcomp). For a cluster, run `pimopt bench --suite S --shard i/n`
# per array task into one folder and `pimopt bench merge DIR` at the end.
#
# Budget arithmetic (2 cores, JOBS=2, one solver thread per case; T = --timeout, the budget of
# each strategy run; an exact engine uses all of T when it cannot prove optimality, the
# heuristics and dp take about 1-5 s per case on these networks):
#   full
#     compass     90 cases (3 nets x 3 chips x 5 batches x {latency, edp}); cpsat on the 45
#                 latency cases, T = 30 s:  (45 x 30 s + 90 x 3 s) / 2          ~ 13.5 min
#     optimality  48 cases: 13 zoo CNNs x compass-s/m/l, and lenet5/alexnet/resnet18 x
#                 isaac/puma/pimcomp (larger CNNs on those make the heuristics' replication
#                 search take minutes), T = 20 s: 39 x (20 + 8) s + 9 x (20 + 40) s, / 2 ~ 13.6 min
#     scaling     27 cases (2 families x 7 sizes + 13 zoo CNNs); dp and cpsat may each
#                 use T = 30 s:  27 x 60 s / 2 (worst case)                   ~ 13.5 min
#     pimcomp     about 25 cases (PIMCOMP-NN files + zoo CNNs): pimcomp-balance, pimcomp-fill and
#                 cpsat-k1 where the weights fit, T = 30 s: 25 x 35 s / 2      ~ 7.3 min
#                                                                   total <= ~ 48 min
#   measured 2026-11-23 (full run while helper builds and tests shared the two cores, so an upper
#   bound): compass 1247 s, optimality 646 s, scaling 481 s until choco exhausted the heap on
#   synthetic-chain-500 (fixed; resumed: 802 s for the remaining 22 cases, little other load),
#   pimcomp 333 s; about 45 min in all.
#   quick (T = 5 s everywhere)
#     compass 18 cases (compass-s, batches 1/4/16), 9 with cpsat: (9 x 5 + 18 x 3) / 2 ~ 50 s
#     optimality 8 cases (4 CNNs x compass-s/m): 8 x (5 + 6) / 2 ~ 45 s;
#     scaling 9 cases: 9 x 10 / 2 ~ 45 s; pimcomp 5 cases: 5 x 8 / 2 ~ 20 s;
#     plus JVM starts                                              total ~ 3.5 min
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
quick=""
resume=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick="--quick" ;;
    --resume) resume=1 ;;
    *) echo "bench.sh: unknown argument '$arg' (use --quick, --resume)" >&2; exit 2 ;;
  esac
done
jobs="${JOBS:-2}"
peers="${PEER_MODELS:-../shared/peer-models/pimcomp}"
out=results
mkdir -p "$out"

if [ -n "$quick" ]; then
  timeouts=(compass:5 optimality:5 scaling:5 pimcomp:5)
else
  timeouts=(compass:30 optimality:20 scaling:30 pimcomp:30)
fi

./pimopt --version >/dev/null   # builds the jar first if needed, outside the timed runs
# Recorded in every results file next to the pimopt version.
PIMOPT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src pom.xml models 2>/dev/null)" ]; then PIMOPT_COMMIT="$PIMOPT_COMMIT+uncommitted"; fi
export PIMOPT_COMMIT
start_all=$(date +%s)
status=0
for entry in "${timeouts[@]}"; do
  suite="${entry%%:*}"
  timeout="${entry##*:}"
  if [ -z "$resume" ]; then
    rm -f "$out/$suite.csv" "$out/$suite.md" "$out/$suite"-*.svg "$out/$suite".shard-*.csv
  fi
  start=$(date +%s)
  ./pimopt bench --suite "$suite" $quick --timeout "$timeout" --jobs "$jobs" --out "$out" --peer-models "$peers" || status=$?
  echo "bench.sh: $suite took $(( $(date +%s) - start )) s" >&2
done
echo "bench.sh: all suites took $(( $(date +%s) - start_all )) s (exit status $status)" >&2
exit "$status"
