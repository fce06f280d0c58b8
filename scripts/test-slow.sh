#!/usr/bin/env bash
# Runs the tests tagged slow, which the README's test command (./mvnw -B -ntp test) leaves out to
# stay under 5 minutes on 2 cores: today ZooPlansTest's searches on every zoo network x preset x
# batch (the default run covers every network, each preset in turn). 6 minutes (376 s) on the
# 2-core machine with benchmarks running beside it; less on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp test -Dgroups=slow -DexcludedGroups= "$@"
