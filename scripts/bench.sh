#!/usr/bin/env bash
# Runs the engine-overhead benchmarks (Guildhall vs LangGraph4j) and prints steps/s and the ratio.
# Builds bench/target/benchmarks.jar first when it is missing or older than the core or bench sources.
#
#   scripts/bench.sh                                    # every benchmark, short defaults
#   scripts/bench.sh 'GuildhallBenchmark.chain$' -i 10  # extra arguments go to JMH
#   BENCH_CPUS=0 scripts/bench.sh -wi 10                # pinned with taskset to CPU 0 ("one core")
#   BENCH_REBUILD=1 scripts/bench.sh                    # rebuild the jar even if it looks current
#
# Defaults: -wi 5 -i 5 -f 1 -w 2s -r 2s -t 1 (one calling thread; a Guildhall run also uses a driver
# thread). JMH rejects an option given twice, so a default is only added when the arguments lack it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/benchmarks.jar"
cd "$root"

stale() { # A source or pom of the modules in the jar is newer than the jar.
    [[ -n "$(find pom.xml core/pom.xml core/src/main bench/pom.xml bench/src -newer "$jar" -print -quit 2>/dev/null)" ]]
}
if [[ ! -f "$jar" || "${BENCH_REBUILD:-0}" == "1" ]] || stale; then
    echo "Building $jar ..." >&2
    mvn -B -q -pl bench -am package -DskipTests
fi

args=("$@")
given() {
    local a
    for a in ${args[@]+"${args[@]}"}; do
        [[ "$a" == "$1" ]] && return 0
    done
    return 1
}
defaults=()
for pair in "-wi 5" "-i 5" "-f 1" "-w 2s" "-r 2s" "-t 1"; do
    option="${pair%% *}"
    given "$option" || defaults+=("$option" "${pair#* }")
done

result="$(mktemp "${TMPDIR:-/tmp}/guildhall-bench.XXXXXX.json")"
launcher=()
if [[ -n "${BENCH_CPUS:-}" ]]; then
    command -v taskset >/dev/null || { echo "BENCH_CPUS needs taskset (util-linux)" >&2; exit 2; }
    launcher=(taskset -c "$BENCH_CPUS")
fi

${launcher[@]+"${launcher[@]}"} java -jar "$jar" ${defaults[@]+"${defaults[@]}"} ${args[@]+"${args[@]}"} -rf json -rff "$result"

echo
echo "JMH results: $result${BENCH_CPUS:+ (pinned to CPU $BENCH_CPUS)}"
java -cp "$jar" dev.guildhall.bench.BenchSummary "$result"
