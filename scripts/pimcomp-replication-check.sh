#!/usr/bin/env bash
# Checks that pimopt's `pimcomp-balance` gives each layer the copies PIMCOMP-NN itself gives in
# balance mode, and writes results/pimcomp-replication-check.md.
#
# Usage: scripts/pimcomp-replication-check.sh PIMCOMP-NN-CHECKOUT
#   The checkout (github sunxt99/PIMCOMP-NN; the committed results used commit 2ed10c8) is built
#   with cmake into CHECKOUT/build when its binary is missing, then run as
#   `./PIMCOMP-NN -m=MODEL -r=balance` from that folder (it reads ../models/JSON and
#   ../config.json); its "node:i replication_num:r" lines are PIMCOMP's copies. pimopt runs
#   `solve --strategy pimcomp-balance --hw pimcomp` on the same files from ../shared/peer-models
#   (PEER_MODELS overrides; they are PIMCOMP's own models/JSON), alexnet and mobilenetv2 with
#   --pimcomp-dense-groups because PIMCOMP sizes grouped convolutions densely.
#   Needs g++, cmake, python3 and a JDK 17. About a minute once both are built.
set -euo pipefail
cd "$(dirname "$0")/.."
pimcomp="$(cd "${1:?usage: $0 PIMCOMP-NN-CHECKOUT}" && pwd)"
peers="${PEER_MODELS:-../shared/peer-models/pimcomp}"
out=results/pimcomp-replication-check.md
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$pimcomp/build/PIMCOMP-NN" ]; then
  mkdir -p "$pimcomp/build"
  (cd "$pimcomp/build" && cmake .. -DCMAKE_BUILD_TYPE=Release > "$work/cmake.log" && make PIMCOMP-NN > "$work/make.log")
fi
./mvnw -q -B -ntp -DskipTests package

models=(resnet18 squeezenet googlenet mobilenetv2 alexnet)
for m in "${models[@]}"; do
  (cd "$pimcomp/build" && ./PIMCOMP-NN "-m=$m" -r=balance > "$work/$m.pimcomp.log")
  dense=()
  case "$m" in alexnet|mobilenetv2) dense=(--pimcomp-dense-groups) ;; esac
  java -jar target/pimopt-all.jar solve --model "$peers/$m.json" --hw pimcomp -s pimcomp-balance \
    --no-simulate "${dense[@]}" --out "$work/$m" > "$work/$m.pimopt.log"
done

commit="$(git -C "$pimcomp" rev-parse --short HEAD 2>/dev/null || echo unknown)"
python3 - "$work" "$peers" "$out" "$commit" "$(git rev-parse --short HEAD)" "${models[@]}" <<'EOF'
import json, re, sys, datetime, platform
work, peers, out, pimcomp_commit, pimopt_commit, *models = sys.argv[1:]
lines = []
lines.append("# pimcomp-balance against PIMCOMP-NN's own copies")
lines.append("")
lines.append(f"Command: `scripts/pimcomp-replication-check.sh PIMCOMP-NN-CHECKOUT` (PIMCOMP-NN commit {pimcomp_commit}, "
             f"pimopt commit {pimopt_commit}, {platform.node()}, {datetime.date.today()}).")
lines.append("")
lines.append("PIMCOMP-NN: `./PIMCOMP-NN -m=MODEL -r=balance` (its default configuration: 12x12 cores of 64 "
             "crossbars of 128x128, 9,216 crossbars), copies from its `node:i replication_num:r` lines. "
             "pimopt: `pimopt solve --model PEERS/MODEL.json --hw pimcomp -s pimcomp-balance` "
             "(alexnet and mobilenetv2 with `--pimcomp-dense-groups`, as PIMCOMP sizes grouped convolutions densely), "
             "copies from the plan's `replication`.")
lines.append("")
summary = []
detail = []
total_eq = total_n = 0
for m in models:
    nodes = json.load(open(f"{peers}/{m}.json"))["node_list"]
    pimcomp = {}
    for line in open(f"{work}/{m}.pimcomp.log"):
        g = re.match(r"node:(\d+)\s+replication_num:(\d+)", line)
        if g:
            pimcomp[nodes[int(g.group(1))]["name"]] = int(g.group(2))
    plan = json.load(open(f"{work}/{m}/plan.json"))
    held = set()
    copies = {}
    for p in plan["partitions"]:
        for u in p["units"]:
            held.add(u.rsplit("#", 1)[0])
        for op, r in p["replication"].items():
            copies.setdefault(op, []).append(r)
    parts = len(plan["partitions"])
    eq = 0
    rows = []
    for name, r in pimcomp.items():
        mine = copies.get(name, [1] if name in held else [])
        same = mine == [r]
        eq += same
        rows.append((name, r, "/".join(map(str, mine)) or "absent", "yes" if same else "**no**"))
    total_eq += eq
    total_n += len(pimcomp)
    summary.append(f"| {m} | {len(pimcomp)} | {eq} | {100.0 * eq / max(1, len(pimcomp)):.1f}% | {parts} |")
    detail.append(f"### {m}")
    detail.append("")
    detail.append("| layer | PIMCOMP-NN | pimcomp-balance | equal |")
    detail.append("|---|---:|---:|---|")
    detail.extend(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    detail.append("")
lines.append("| model | layers | equal | share | pimopt partitions |")
lines.append("|---|---:|---:|---:|---:|")
lines.extend(summary)
lines.append(f"| all | {total_n} | {total_eq} | {100.0 * total_eq / max(1, total_n):.1f}% | |")
lines.append("")
lines.append("## Per layer")
lines.append("")
lines.extend(detail)
open(out, "w").write("\n".join(lines))
print("\n".join(summary))
print(f"all: {total_eq} / {total_n}")
EOF
echo "wrote $out"
