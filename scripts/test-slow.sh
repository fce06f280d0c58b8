#!/usr/bin/env bash
# Runs the tests tagged slow, which the README's test command (./mvnw -B -ntp test) leaves out to
# stay under 5 minutes on 2 cores: ZooPlansTest's searches on every zoo network x preset x batch
# (the default run covers every network, each preset in turn) and FixedOrderExactTest (cpsat-fixed
# and dp-exact against brute force over every contiguous plan). About 2.5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp test -Dgroups=slow -DexcludedGroups= "$@"
