#!/usr/bin/env bash
# Cross-check of the exact engines against exhaustive enumeration (issue 20, item 4) ->
# results/crosscheck.md and results/crosscheck.csv. N seeded random instances (seeds 0..N-1: 3-10
# units, branches, residual adds, concat, vector layers fed from DRAM, several outputs, grouped and
# depthwise convs, linear layers over several positions, parameter nodes, stripes taller than a core
# or the chip; 1-6 cores; batch 1-16; every objective and lexicographic lists), each solved by every
# exact engine registered (exact, cpsat, choco, mip, dp-lattice, dp-exact, cpsat-fixed) and every
# plan enumerated; each OPTIMAL claim is compared with the optimum of the engine's own scope.
#
#   scripts/crosscheck.sh 1000                 1000 instances, JOBS at once (default 2)
#   scripts/crosscheck.sh 1000 --shard 0/4     one shard -> results/crosscheck.shard-0-of-4.csv
#   scripts/crosscheck.sh merge results        the shards -> results/crosscheck.csv and .md
#   scripts/crosscheck.sh report results/crosscheck.csv   the .md again from a finished run's CSV
#   scripts/crosscheck.sh 1000 --resume        continue an interrupted run (seeds already done are skipped)
#   scripts/crosscheck.sh --seeds 7,8          rerun some seeds -> results/crosscheck-seeds.csv and .md
#   ... --engines dp-lattice,mip               only these engines
#   scripts/crosscheck.sh 300 --limits         the same seeds' instances with random limits (latency, energy,
#                                              writes, dram; below, at and above what plans reach), judged
#                                              against the best plan that meets them; engines that post limits
#                                              (exact, cpsat, choco, mip, dp-lattice, cpsat-fixed) ->
#                                              results/crosscheck-limits.csv and .md, and its summary as the
#                                              section "With limits" of results/crosscheck.md (issue 26)
#   scripts/crosscheck.sh merge results --limits   the limits run's shards
#
# Budget: TIMEOUT_MS per engine run (default 5000; an engine stopped by it answers FEASIBLE, counted
# as not proven); one solver thread per engine, JOBS instances at once. N=1000 with JOBS=2 on the
# 2-core reference machine: about 25 minutes (see results/crosscheck.md for the measured run).
# Exit status 1 when a row has a finding (disagreement, bound above the optimum, invalid plan,
# misreported objective, exception).
set -euo pipefail
cd "$(dirname "$0")/.."
./pimopt --version >/dev/null   # builds the jar first if needed, outside the timed run
PIMOPT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src pom.xml models 2>/dev/null)" ]; then PIMOPT_COMMIT="$PIMOPT_COMMIT+uncommitted"; fi
export PIMOPT_COMMIT
main=(java ${PIMOPT_JAVA_OPTS:-} -cp target/pimopt-all.jar org.pimopt.check.CrossCheckMain)
if [ "${1:-}" = "merge" ] || [ "${1:-}" = "report" ]; then
  exec "${main[@]}" "$@"
fi
export CROSSCHECK_UPTIME="$(uptime 2>/dev/null || true)"
export CROSSCHECK_COMMAND="JOBS=${JOBS:-2} TIMEOUT_MS=${TIMEOUT_MS:-5000} scripts/crosscheck.sh $*"
start=$(date +%s)
status=0
"${main[@]}" "$@" --jobs "${JOBS:-2}" --timeout "${TIMEOUT_MS:-5000}" || status=$?
echo "crosscheck.sh: took $(( $(date +%s) - start )) s (exit status $status)" >&2
exit "$status"
