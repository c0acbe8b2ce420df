#!/usr/bin/env bash
# The chaos drill: three worker processes share one PostgreSQL database and relay their outbox to
# Redis Streams, where a consumer process records the run events; N runs are submitted; one
# worker is killed with SIGKILL mid-flight and restarted; the drill waits and prints
#   runs=N completed=N duplicate_effects=0 lost=0
# exiting non-zero otherwise. Every step of the drilled workflow writes a side-effect row keyed by
# its idempotency key (see drills/.../Chaos.java for what counts as duplicate and lost).
#
#   scripts/chaos.sh            # N=50
#   scripts/chaos.sh 500        # larger N
#
# Settings: GUILDHALL_CHAOS_DB (default guildhall_chaos, dropped and created afresh on
# 127.0.0.1:5432 as user postgres), GUILDHALL_CP (a ready classpath; else the drills module is built),
# GUILDHALL_CHAOS_TIMEOUT (seconds to wait for the runs, default 60 + N/5).
set -euo pipefail

n="${1:-50}"
[[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || { echo "chaos: N must be a positive number, was '$n'" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db="${GUILDHALL_CHAOS_DB:-guildhall_chaos}"
timeout="${GUILDHALL_CHAOS_TIMEOUT:-$((60 + n / 5))}"
url="jdbc:postgresql://127.0.0.1:5432/$db"
work="$(mktemp -d "${TMPDIR:-/tmp}/guildhall-chaos.XXXXXX")"

if [[ -z "${GUILDHALL_CP:-}" ]]; then
    # One reactor build, so the classpath names the freshly built module jars (nothing is installed).
    (cd "$root" && mvn -B -q -pl drills -am -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile="$work/cp.txt") >&2
    GUILDHALL_CP="$root/drills/target/classes:$(cat "$work/cp.txt")"
fi

psql -h 127.0.0.1 -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -d postgres -qAtc "CREATE DATABASE $db" >/dev/null

chaos() { java -cp "$GUILDHALL_CP" dev.guildhall.drills.Chaos "$@"; }
pids=()
started=""
start_worker() { # $1 = worker id; sets $started to its pid
    # java itself in the background (not a function's subshell), so that $! is the JVM SIGKILL hits.
    java -cp "$GUILDHALL_CP" dev.guildhall.drills.Chaos worker "$url" "$1" >>"$work/$1.log" 2>&1 &
    started=$!
    pids+=("$started")
}
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    redis-cli -h 127.0.0.1 --scan --pattern "guildhall:chaos:$$:*" 2>/dev/null \
        | xargs -r redis-cli -h 127.0.0.1 DEL >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Each drill has its own Redis keys, removed at the end.
export GUILDHALL_REDIS_KEY_PREFIX="guildhall:chaos:$$:"
# The schema is migrated once before the workers race to it; the consumer subscribes before any event.
chaos submit "$url" 0 >/dev/null
java -cp "$GUILDHALL_CP" dev.guildhall.drills.Chaos consume "$url" >>"$work/consumer.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do grep -q "consumer started" "$work/consumer.log" 2>/dev/null && break; sleep 0.1; done
start_worker w1
victim="$started"
start_worker w2
start_worker w3
chaos submit "$url" "$n" >&2 &
submitter=$!

# Kill w1 while it holds leases and steps are in flight: once a fifth of the effects are written.
psql_count() { psql -h 127.0.0.1 -U postgres -d "$db" -qAtc "$1" 2>/dev/null || echo 0; }
held=0
for _ in $(seq 1 400); do
    done_steps="$(psql_count "SELECT COUNT(*) FROM chaos_effects")"
    held="$(psql_count "SELECT COUNT(*) FROM jobs WHERE lease_owner = 'w1'")"
    (( done_steps >= n / 2 && held > 0 )) && break
    sleep 0.02
done
kill -KILL "$victim"
wait "$victim" 2>/dev/null || true
echo "chaos: killed w1 (pid $victim) holding $held lease(s) after $done_steps effects" >&2
sleep 1
start_worker w1
echo "chaos: restarted w1 (pid $started); logs in $work" >&2

wait "$submitter"
chaos check "$url" "$n" "$timeout"
