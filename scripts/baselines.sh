#!/usr/bin/env bash
# Regenerates results/baselines.md: the baselines and dp on the COMPASS setting
# (resnet18, vgg16, squeezenet1_0 x compass-s/m/l x batch 1 and 16), one `pimopt solve` per case.
# Usage: scripts/baselines.sh [timeout per case, default 60s]
set -euo pipefail
cd "$(dirname "$0")/.."
timeout="${1:-60s}"
out=results/baselines.md
tmp="$(mktemp)"
work="$(mktemp -d)"
trap 'rm -rf "$tmp" "$work"' EXIT
./pimopt --version > /dev/null   # builds the jar once, before the clock starts
{
  echo "# Baselines and dp on the COMPASS setting"
  echo
  echo "Made by \`scripts/baselines.sh $timeout\`, which runs, for each case,"
  echo "\`./pimopt solve --model M --hw H --batch B --strategy layerwise,greedy,compass-ga,dp --timeout $timeout\`"
  echo "(objective latency, seed 1). Columns up to \`time\` are the analytic cost model (DESIGN §5); \`sim latency\`"
  echo "and \`sim energy/sample\` come from the discrete-event simulator (pipeline schedule, physical effects on),"
  echo "with \`err\` = (model - sim) / sim: the model leaves vector-unit time out (see results/model-fidelity.md)."
  echo
  echo "- pimopt: $(./pimopt --version), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores, $(uname -sm), $(java -version 2>&1 | head -1)"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
} > "$tmp"
for model in resnet18 vgg16 squeezenet1_0; do
  for hw in compass-s compass-m compass-l; do
    for batch in 1 16; do
      echo "baselines: $model on $hw, batch $batch" >&2
      {
        echo "## $model on $hw, batch $batch"
        echo
        echo '```'
        ./pimopt solve --model "$model" --hw "$hw" --batch "$batch" \
          --strategy layerwise,greedy,compass-ga,dp --timeout "$timeout" --out "$work" 2>/dev/null \
          | sed -n '/^strategy/,/^$/p' | sed '/^$/d'
        echo '```'
        echo
      } >> "$tmp"
    done
  done
done
mkdir -p results
mv "$tmp" "$out"
trap - EXIT
rm -rf "$work"
echo "wrote $out" >&2
