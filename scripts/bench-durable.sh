#!/usr/bin/env bash
# The durable-execution benchmark: checkpointed steps per second and step latency (p50/p99) on H2
# and on PostgreSQL with 1, 2 and 4 workers, then how late timers fire with 10,000 pending.
# Not part of the test run; takes a few minutes. Prints one line per measurement.
#
#   scripts/bench-durable.sh                 # runs=1000, 10 steps each, 10,000 timers
#   RUNS=2000 TIMERS=20000 scripts/bench-durable.sh
#   BENCH_DB=guildhall_bench scripts/bench-durable.sh   # PostgreSQL database (dropped and created)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-1000}"
steps="${STEPS:-10}"
timers="${TIMERS:-10000}"
db="${BENCH_DB:-guildhall_bench}"
work="$(mktemp -d "${TMPDIR:-/tmp}/guildhall-bench-durable.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [[ -z "${GUILDHALL_CP:-}" ]]; then
    (cd "$root" && mvn -B -q -pl drills -am -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile="$work/cp.txt") >&2
    GUILDHALL_CP="$(cat "$work/cp.txt"):$root/drills/target/guildhall-drills-0.1.0-SNAPSHOT.jar"
fi
bench() { java -cp "$GUILDHALL_CP" dev.guildhall.drills.DurableBench "$@"; }

psql -h 127.0.0.1 -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -d postgres -qAtc "CREATE DATABASE $db" >/dev/null
pg="jdbc:postgresql://127.0.0.1:5432/$db"

for workers in 1 2 4; do
    bench steps h2 "$workers" "$runs" "$steps"
done
for workers in 1 2 4; do
    bench steps "$pg" "$workers" "$runs" "$steps"
done
bench timers "$pg" "$timers"
