#!/usr/bin/env bash
# How long `dp` (the fixed-order DP over contiguous partitions, replication by the best of the
# rules) takes on every zoo network and preset (issue 23's target: under 1 s each), each case from
# a fresh process, one at a time: `pimopt solve --strategy dp --batch B --no-simulate`, its own
# wall time as summary.json reports it (`wallMillis`: the strategy alone, not JVM start or model
# loading). Writes results/dp-speed.md and dp-speed.csv. Run it on a quiet machine; it records
# the load average before and after.
#
#   scripts/dp-speed.sh            batch 16, every network x preset (90 runs, a few minutes)
#   NETS="resnet18 vgg16" PRESETS=compass-s scripts/dp-speed.sh   a subset
set -euo pipefail
cd "$(dirname "$0")/.."
./pimopt --version >/dev/null   # builds the jar first if needed
batch="${BATCH:-16}"
nets="${NETS:-$(java -jar target/pimopt-all.jar models | awk 'NR>2 && $1 != "" {print $1}' | tr '\n' ' ')}"
presets="${PRESETS:-compass-s compass-m compass-l isaac puma pimcomp}"
commit="$(git rev-parse --short HEAD)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
csv=results/dp-speed.csv.tmp
echo "network,preset,batch,units,dp_ms,status,partitions" > "$csv"
for net in $nets; do
  for hw in $presets; do
    java -jar target/pimopt-all.jar solve --model "$net" --hw "$hw" --batch "$batch" --strategy dp --timeout 600s \
      --no-simulate --out "$tmp/out" > /dev/null 2>&1 || true
    python3 - "$tmp/out/summary.json" "$net" "$hw" "$batch" >> "$csv" <<'PY'
import json, sys
path, net, hw, batch = sys.argv[1:]
try:
    d = json.load(open(path))
    r = next(x for x in d["results"] if x["strategy"] == "dp")
    print(f'{net},{hw},{batch},{d["units"]},{r["wallMillis"]},{r["status"]},{r.get("partitions", "")}')
except Exception as e:
    print(f'{net},{hw},{batch},,,ERROR {type(e).__name__},')
PY
    rm -rf "$tmp/out"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
mv "$csv" results/dp-speed.csv
python3 - "$commit" "$batch" "$load_before" "$load_after" <<'PY'
import csv, sys
commit, batch, before, after = sys.argv[1:]
rows = list(csv.DictReader(open("results/dp-speed.csv")))
ok = [r for r in rows if r["dp_ms"]]
ms = sorted(int(r["dp_ms"]) for r in ok)
under = sum(1 for m in ms if m < 1000)
out = ["# How long dp takes on every zoo network and preset", "",
       f"Command: `scripts/dp-speed.sh` (batch {batch}), pimopt commit {commit}; each case a fresh process, one at a time;"
       f" dp's own wall time (`wallMillis` of summary.json). Load average before: {before}, after: {after}"
       " (a busy machine inflates every figure).", "",
       f"- Under 1 s (issue 23's target): **{under} of {len(rows)}** runs; median {ms[len(ms) // 2] if ms else '-'} ms,"
       f" largest {ms[-1] if ms else '-'} ms.", "",
       "| network | units | " + " | ".join(dict.fromkeys(r["preset"] for r in rows)) + " |",
       "|---|---:|" + "---:|" * len(dict.fromkeys(r["preset"] for r in rows))]
presets = list(dict.fromkeys(r["preset"] for r in rows))
for net in dict.fromkeys(r["network"] for r in rows):
    cells, units = [], ""
    for p in presets:
        r = next((x for x in rows if x["network"] == net and x["preset"] == p), None)
        units = units or (r["units"] if r else "")
        cells.append(f'{int(r["dp_ms"]) / 1000:.2f} s' if r and r["dp_ms"] else (r["status"] if r else "-"))
    out.append(f"| {net} | {units} | " + " | ".join(cells) + " |")
out.append("")
open("results/dp-speed.md", "w").write("\n".join(out))
print("\n".join(out))
PY
