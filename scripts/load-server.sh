#!/usr/bin/env bash
# Load test of the server (not part of `mvn test`): starts `bin/guildhall server` on a fresh data
# directory with a one-step no-op workflow and no rate limit, then drives GET /api/v1/agents and
# POST /api/v1/runs at a constant arrival rate (open model) and prints p50/p99 and throughput.
#   scripts/load-server.sh [RATE=500] [SECONDS=20] [WARMUP=5]
# Build first: mvn -B -q -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${1:-500}"; seconds="${2:-20}"; warmup="${3:-5}"
port="${GUILDHALL_LOAD_PORT:-18181}"
jar="$root/bench/target/benchmarks.jar"
[[ -f "$jar" && -f "$root/server/target/guildhall-server.jar" ]] || {
  echo "load-server: build first with: mvn -B -q -DskipTests package" >&2; exit 2; }

work="$(mktemp -d /tmp/guildhall-load-XXXXXX)"
mkdir -p "$work/examples/agents"
cp "$root"/examples/support-desk/agents/human-handoff.yaml "$work/examples/agents/"
# One deterministic step (no model): what starting a run costs, not what an agent costs.
cat > "$work/examples/workflow.yaml" <<'YAML'
id: noop
description: One deterministic step; the load test's workflow.
steps:
  - id: done
    agent: human-handoff
    input: {message: "{{message}}", intent: "load"}
    next: end
YAML
password="load-$(date +%s)-password"
GUILDHALL_ADMIN_PASSWORD="$password" GUILDHALL_RATE_LIMIT_PER_MINUTE=0 \
  "$root/bin/guildhall" server --port "$port" --data-dir "$work/data" \
  --guildhall.demo.examples="$work/examples" --logging.level.root=WARN >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "http://localhost:$port/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 1
done
echo "server up on port $port (data in $work; nproc=$(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg))"
java -cp "$jar" dev.guildhall.bench.ServerLoad "http://localhost:$port" "$password" "$rate" "$seconds" "$warmup" noop
