#!/usr/bin/env bash
# Shows that a change to the simulator leaves every simulated figure as it was.
#
#   scripts/sim-regression.sh record DIR [JAR]    solve a spread of cases with deterministic
#                                                 heuristics, keep each best plan, and simulate
#                                                 it under every schedule and effect switch
#   scripts/sim-regression.sh compare DIR [JAR]   with another jar (default: this tree's, rebuilt),
#                                                 solve and simulate the same into DIR.compare,
#                                                 diff against DIR
#   scripts/sim-regression.sh check DIR           the diff alone, of DIR and DIR.compare
#
# The compare step simulates DIR's own plan files again, so a solve that happened to choose a
# different plan cannot hide or fake a simulator difference; the solves are compared as well.
# Every simulation of a recorded plan must be identical: simulate's text, the per-layer CSV and the
# Chrome trace of every task. In summary.json (wallMillis dropped), each strategy whose plan came
# out the same must have the same simulated figures.
# Record with the jar of the commit before the change (copy target/pimopt-all.jar aside first).
# SIM_REGRESSION_MODELS, _CHIPS, _BATCHES, _PLACED and _TIMEOUT (per solve, default 5s) change the
# spread; compare with the same values as the record. Takes about 10 minutes on 2 cores. Exit status 1 when anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:?usage: sim-regression.sh record|compare DIR [JAR]}"
dir="${2:?usage: sim-regression.sh record|compare DIR [JAR]}"
jar="${3:-}"
if [ -z "$jar" ] && [ "$mode" != check ]; then
  ./mvnw -q -B -ntp -DskipTests package
  jar=target/pimopt-all.jar
fi
models="${SIM_REGRESSION_MODELS:-resnet18 squeezenet1_1 googlenet mobilenet_v2 bert-base}"
chips="${SIM_REGRESSION_CHIPS:-compass-s pimcomp isaac}"
batches="${SIM_REGRESSION_BATCHES:-1 16}"
# Cases solved with --place as well, so the simulator executes a layout.
placed="${SIM_REGRESSION_PLACED:-resnet18:compass-s:16 squeezenet1_1:compass-s:1 googlenet:pimcomp:16}"

pim() { java -jar "$jar" "$@"; }
strip() { jq 'del(.. | .wallMillis?)' "$1"; }

# Solves one case into $1 and simulates its plan under every schedule, with the effects on, in the
# model's form (--analytic), and without its layout when it has one.
run_case() {
  local out="$1" plans="$2"; shift 2
  mkdir -p "$out"
  if [ -n "$plans" ] && [ ! -f "$plans/plan.json" ]; then
    echo "$plans has no plan.json" >&2
    return 1
  fi
  pim solve "$@" --timeout "${SIM_REGRESSION_TIMEOUT:-5s}" --strategy layerwise,greedy,dp --json -o "$out/solve" > /dev/null 2> "$out/solve.err" || true
  strip "$out/solve/summary.json" > "$out/summary.json" 2> /dev/null || echo "no summary" > "$out/summary.json"
  local plan="${plans:-$out/solve}/plan.json"
  [ -f "$plan" ] || return 0
  local variants=("default" "analytic")
  if jq -e '.layout != null' "$plan" > /dev/null 2>&1; then variants+=("no-layout"); fi
  for schedule in layer pipeline cross-layer; do
    for v in "${variants[@]}"; do
      local name="$schedule-$v" extra=()
      case "$v" in analytic) extra=(--analytic) ;; no-layout) extra=(--no-layout) ;; esac
      pim simulate --plan "$plan" --schedule "$schedule" "${extra[@]}" \
        --csv "$out/$name.csv" --trace "$out/$name.trace.json" > "$out/$name.txt" 2>&1 || true
      # The file names written are this run's paths: keep only the figures.
      sed -i '/^wrote /d' "$out/$name.txt"
    done
  done
}

cases=()
for m in $models; do for h in $chips; do for b in $batches; do cases+=("$m:$h:$b:"); done; done; done
for c in $placed; do cases+=("$c:place"); done

target="$dir"
[ "$mode" = record ] || target="$dir.compare"
[ "$mode" = record ] || [ "$mode" = compare ] || [ "$mode" = check ] || { echo "unknown mode $mode" >&2; exit 2; }
[ "$mode" = check ] || rm -rf "$target"
for c in "${cases[@]}"; do
  [ "$mode" = check ] && break
  IFS=: read -r m h b p <<< "$c"
  name="$m-$h-$b${p:+-$p}"
  flags=(--model "$m" --hw "$h" --batch "$b")
  [ -n "$p" ] && flags+=(--place)
  plans=""
  [ "$mode" = compare ] && plans="$dir/$name/solve"
  run_case "$target/$name" "$plans" "${flags[@]}"
  echo "$name" >&2
done
if [ "$mode" != record ]; then
  status=0
  # The recorded plans simulated again: every file must be identical.
  if diff -r -q -x solve -x solve.err -x summary.json "$dir" "$target"; then
    echo "simulations of the recorded plans: identical ($(find "$target" -name '*.txt' | wc -l) runs, text, CSV and trace)"
  else
    echo "simulations of the recorded plans: DIFFERENT (diff -r -x solve -x solve.err -x summary.json $dir $target)"
    status=1
  fi
  # The solves: a strategy whose plan came out the same (every model figure equal) must simulate
  # the same. A strategy stopped by its time budget (dp on large cases) may return another plan:
  # that is the solver's timing, not the simulator, and is counted apart.
  same=0; other=0; unsimulated=0
  for c in "${cases[@]}"; do
    IFS=: read -r m h b p <<< "$c"
    name="$m-$h-$b${p:+-$p}"
    while IFS=$'\t' read -r strategy verdict; do
      case "$verdict" in
        same) same=$((same + 1)) ;;
        other-plan) other=$((other + 1)); echo "  $name $strategy: another plan this run (its model figures differ), not compared" ;;
        unsimulated) unsimulated=$((unsimulated + 1)) ;;
        *) echo "  $name $strategy: SIMULATED FIGURES DIFFER for the same plan"; status=1 ;;
      esac
    done < <(jq -rn --slurpfile a "$dir/$name/summary.json" --slurpfile b "$target/$name/summary.json" '
      def plan: del(.simulated, .notSimulated, .note, .stats);
      [$a[0].results, $b[0].results] | transpose[] | select(.[0] != null and .[1] != null)
      | [.[0].strategy,
         if (.[0] | plan) != (.[1] | plan) then "other-plan"
         elif .[0].simulated == null or .[1].simulated == null then "unsimulated"
         elif .[0].simulated == .[1].simulated then "same" else "differs" end] | @tsv')
  done
  echo "solves: $same strategy results simulate identically; $other returned another plan;" \
    "$unsimulated were not simulated in one of the two runs (solve's time limit reached first)"
  exit "$status"
fi
