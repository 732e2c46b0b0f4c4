#!/usr/bin/env bash
# Runs the JMH suite and the memory program, and writes benchmarks/results/latest.md (figures,
# same-run baselines, ratios, allocation per operation, targets met or missed, JDK, cores, load, date).
#
#   benchmarks/run.sh                 # the short suite: under 10 minutes on 2 cores
#   benchmarks/run.sh --full          # the same, with the issue's 1,000,000 tasks in the export benchmark
#   benchmarks/run.sh Stream -f 2     # any JMH arguments (a benchmark regex, more forks, ...); no memory program
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp -q -DskipTests -pl benchmarks -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

# Fork JVM options (they replace the benchmarks' own @Fork jvmArgsAppend): a 3 GiB heap, enough for
# the export benchmark's queue of 1,000,000 tasks with --full; and, as a non-daemon pool thread
# sometimes outlives a fork (seen with every benchmark class), no 30 s wait for it at the fork's exit.
short=(-wi 4 -w 2s -i 3 -r 2s -f 1 -prof gc
       -jvmArgsAppend "-Xmx3g -Djmh.shutdownTimeout=1 -Djmh.shutdownTimeout.step=1")
memory=true
if [ $# -eq 0 ]; then
  args=("${short[@]}")
elif [ "$1" = "--full" ]; then
  args=("${short[@]}" -p tasks=1000000)
else
  args=("$@")
  memory=false
fi

cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
results=benchmarks/results/latest.md
java -Dresults="$results" -Dload="$(uptime)" -cp "$cp" \
     ai.phospho.reactive.benchmarks.RunBenchmarks "${args[@]}"
if [ "$memory" = true ]; then
  java -Xmx1g -XX:+UseSerialGC -Dresults="$results" -cp "$cp" ai.phospho.reactive.benchmarks.MemoryBenchmark
  echo "- load after the run (\`uptime\`): $(uptime)" >> "$results"
fi
echo "Results: $results"
