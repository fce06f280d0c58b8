#!/usr/bin/env bash
# Time to prove optimality of the exact engines (cpsat, choco, mip) on a few zoo networks.
# Each engine runs alone with the full budget (solve gives the strategies of one command the
# budget in turn), one line per run: model, batch, engine, status, objective, bound, wall time.
# Usage: scripts/bench-exact.sh [timeout] [model:batch ...]
set -euo pipefail
cd "$(dirname "$0")/.."
timeout="${1:-60s}"
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(lenet5:1 lenet5:16 alexnet:1 alexnet:16 squeezenet1_0:1)
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-14s %5s %-6s %-9s %14s %14s %9s\n' model batch engine status latency_ns bound_ns wall_s
for c in "${cases[@]}"; do
  model="${c%%:*}"; batch="${c##*:}"
  for engine in cpsat choco mip; do
    ./pimopt solve --model "$model" --hw compass-s --batch "$batch" --strategy "$engine" \
      --timeout "$timeout" --json --out "$out" 2>/dev/null > "$out/summary.txt" || true
    python3 - "$out/summary.txt" "$model" "$batch" "$engine" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    s = json.loads(text)
except Exception:
    print(f"{sys.argv[2]:<14} {sys.argv[3]:>5} {sys.argv[4]:<6} failed: {text.strip()[:80]}")
    sys.exit()
r = s["results"][0] if "results" in s else s["strategies"][0]
def g(*keys):
    for k in keys:
        if k in r and r[k] is not None:
            return r[k]
    return float("nan")
print(f"{sys.argv[2]:<14} {sys.argv[3]:>5} {sys.argv[4]:<6} {g('status'):<9} {g('objective'):>14.6g} {g('bound'):>14.6g} {g('wallMillis','timeMillis')/1000:>9.1f}")
PY
  done
done
