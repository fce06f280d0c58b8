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
#   (PEER_MODELS overrides; they are PIMCOMP's own models/JSON), every model with
#   --pimcomp-dense-groups because PIMCOMP sizes grouped convolutions densely (it changes only
#   alexnet, caffenet, rcnn-ilsvrc13, mobilenetv2 and shufflenet). MODELS (space-separated) picks
#   the models; by default issue 21's five first, then the other seven PIMCOMP-NN ships.
#   PIMCOMP-NN aborts on vgg16 after replicating (the copies overflow the chip in its mapping);
#   its copies are printed before that and are compared all the same.
#   Needs g++, cmake, python3 and a JDK 17. About two minutes once both are built.
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

read -r -a models <<< "${MODELS:-resnet18 squeezenet googlenet mobilenetv2 alexnet resnet34 resnet50 inception_v3 shufflenet caffenet rcnn-ilsvrc13 vgg16}"
for m in "${models[@]}"; do
  rc=0
  (cd "$pimcomp/build" && ./PIMCOMP-NN "-m=$m" -r=balance > "$work/$m.pimcomp.log" 2>&1) || rc=$?
  echo "$rc" > "$work/$m.pimcomp.rc"
  java -jar target/pimopt-all.jar solve --model "$peers/$m.json" --hw pimcomp -s pimcomp-balance \
    --no-simulate --pimcomp-dense-groups --out "$work/$m" > "$work/$m.pimopt.log"
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
             "with `--pimcomp-dense-groups` (PIMCOMP sizes grouped convolutions densely; it changes alexnet, caffenet, "
             "rcnn-ilsvrc13, mobilenetv2 and shufflenet), "
             "copies from the plan's `replication`.")
lines.append("")
FIVE = ["resnet18", "squeezenet", "googlenet", "mobilenetv2", "alexnet"]
five_eq = five_n = 0
notes = []
split = []
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
    rc = open(f"{work}/{m}.pimcomp.rc").read().strip()
    if parts > 1:
        split.append(m)
    eq = 0
    rows = []
    for name, r in pimcomp.items():
        mine = copies.get(name, [1] if name in held else [])
        same = mine == [r]
        eq += same
        rows.append((name, r, "/".join(map(str, mine)) or "absent", "yes" if same else "**no**"))
    total_eq += eq
    total_n += len(pimcomp)
    if m in FIVE:
        five_eq += eq
        five_n += len(pimcomp)
    exit_note = "" if rc == "0" else f" (PIMCOMP-NN exit {rc})"
    if rc != "0":
        log = open(f"{work}/{m}.pimcomp.log").read()
        g = re.search(r"Expected Crossbar Num:(\d+)\s+Mapping Crossbar Num:(\d+)", log)
        notes.append(f"- {m}: PIMCOMP-NN exits with {rc} after replicating"
                     + (f": its copies need {int(g.group(1)):,} crossbars of the chip's {int(g.group(2)):,} "
                        "(first copies are not charged against its budget), and its mapping stops with "
                        "\"Map Check Failed\"" if g else "")
                     + ". pimopt cuts PIMCOMP's sequence of copies at the longest prefix that packs into the "
                     "chip's cores, so the last copies PIMCOMP gives are not placed; the layers that lose them are "
                     "the ones marked **no**.")
    summary.append(f"| {m}{exit_note} | {len(pimcomp)} | {eq} | {100.0 * eq / max(1, len(pimcomp)):.1f}% | {parts} |")
    detail.append(f"### {m}")
    detail.append("")
    detail.append("| layer | PIMCOMP-NN | pimcomp-balance | equal |")
    detail.append("|---|---:|---:|---|")
    detail.extend(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    detail.append("")
lines.append("| model | layers | equal | share | pimopt partitions |")
lines.append("|---|---:|---:|---:|---:|")
lines.extend(summary)
if five_n:
    lines.append(f"| issue 21's five | {five_n} | {five_eq} | {100.0 * five_eq / five_n:.1f}% | |")
lines.append(f"| all | {total_n} | {total_eq} | {100.0 * total_eq / max(1, total_n):.1f}% | |")
lines.append("")
lines.append("Every layer that differs, and why:")
lines.append("")
lines.extend(notes or ["- none."])
lines.append("")
lines.append("A model that pimopt split into several partitions would not be like for like (PIMCOMP-NN counts "
             "every layer against one chip, pimopt runs the rule in each partition against the whole chip); "
             + (f"split here: {', '.join(split)}." if split else "every model here is one partition."))
lines.append("")
lines.append("## Per layer")
lines.append("")
lines.extend(detail)
open(out, "w").write("\n".join(lines))
print("\n".join(summary))
print(f"all: {total_eq} / {total_n}")
EOF
echo "wrote $out"
