#!/usr/bin/env bash
# Fuzzes pimopt's readers (org.pimopt.fuzz.Fuzz, a seeded mutation fuzzer) and writes
# results/fuzz.md: N executions over ONNX models, pimopt network JSON, PIMCOMP-NN JSON, hardware
# JSON and plan files (JSON and binary), each a mutant of a seed in src/test/resources/fuzz/seeds
# (and models/networks, models/hardware) run in-process through `pimopt import`, `inspect`, `hw`
# or `simulate --csv` (one execution in 50 through the command line, the rest calling the same
# code directly). Crashes and hangs are saved to src/test/resources/fuzz/findings (input and a .txt
# that says how to replay it), where FuzzFindingsTest replays them in the test suite.
#
# Usage: scripts/fuzz.sh [N, default 1000000] [SEED, default 1]
#   FUZZ_THREADS=T        worker threads (default: the number of cores)
#   FUZZ_LIMIT_MS=MS      time limit per execution (default 2000)
#   FUZZ_MAX_SECONDS=S    stop after S seconds, whatever N says (the report says so)
#   FUZZ_HEAP=SIZE        the JVM's heap (default 3g)
# Execution i of seed S is a function of (S, i) alone: a finding is replayed from its two numbers.
# Exit status: 0 when nothing crashed or hung and every seed was read, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
seed="${2:-1}"
./pimopt --version > /dev/null   # builds the jar when it is missing or older than the sources
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src/main pom.xml 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes to src/main)"
fi
shown="scripts/fuzz.sh $n $seed"
for v in FUZZ_THREADS FUZZ_LIMIT_MS FUZZ_MAX_SECONDS FUZZ_HEAP; do
  if [ -n "${!v:-}" ]; then shown="$v=${!v} $shown"; fi
done
work=/dev/shm
[ -d "$work" ] && [ -w "$work" ] || work="${TMPDIR:-/tmp}"
args=(--executions "$n" --seed "$seed" --threads "${FUZZ_THREADS:-$(nproc)}" --limit-ms "${FUZZ_LIMIT_MS:-2000}"
      --root . --work "$work" --findings src/test/resources/fuzz/findings --report results/fuzz.md
      --command "$shown" --commit "$commit")
if [ -n "${FUZZ_MAX_SECONDS:-}" ]; then
  args+=(--max-seconds "$FUZZ_MAX_SECONDS")
fi
exec java "-Xmx${FUZZ_HEAP:-3g}" -XX:+UseParallelGC -cp target/pimopt-all.jar org.pimopt.fuzz.Fuzz "${args[@]}"
