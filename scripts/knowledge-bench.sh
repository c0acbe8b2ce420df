#!/usr/bin/env bash
# Knowledge collections benchmark: indexing throughput (chunks/s) and search latency p50/p99 for
# bm25, vector and hybrid at 100,000 chunks, plus the real embedding model's throughput on a sample.
# Builds the CLI first when cli/target/guildhall-cli.jar is missing or older than the sources.
#
#   scripts/knowledge-bench.sh                          # 100,000 chunks, 1,000 queries per mode
#   scripts/knowledge-bench.sh --chunks 10000           # extra arguments go to `guildhall knowledge bench`
#   BENCH_CPUS=0 scripts/knowledge-bench.sh             # pinned with taskset to CPU 0 ("one core")
#
# The last line is machine-readable:
#   chunks=... index_chunks_per_s=... bm25_p50_ms=... ... embed_chunks_per_s=... query_embed_p99_ms=...
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/cli/target/guildhall-cli.jar"
cd "$root"

stale() {
    [[ -n "$(find pom.xml core/pom.xml core/src/main knowledge/pom.xml knowledge/src/main cli/pom.xml cli/src/main \
        -newer "$jar" -print -quit 2>/dev/null)" ]]
}
if [[ ! -f "$jar" ]] || stale; then
    echo "Building $jar ..." >&2
    mvn -B -q -pl cli -am package -DskipTests
fi

launcher=()
if [[ -n "${BENCH_CPUS:-}" ]]; then
    command -v taskset >/dev/null || { echo "BENCH_CPUS needs taskset (util-linux)" >&2; exit 2; }
    launcher=(taskset -c "$BENCH_CPUS")
fi
${launcher[@]+"${launcher[@]}"} "$root/bin/guildhall" knowledge bench "$@"
