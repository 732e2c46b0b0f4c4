#!/usr/bin/env bash
# Runs the JMH suite and the memory program, and writes benchmarks/results/latest.md (figures with
# their errors, same-run baselines, ratios, which figures allow a verdict, allocation per operation,
# targets met or missed, JDK, cores, load, date).
#
#   benchmarks/run.sh                 # the short suite: about 15 minutes on 2 cores (estimated: 45 benchmarks of
#                                     # 14 s each plus forks, the export runs and the memory program)
#   benchmarks/run.sh --full          # the same, with the issue's 1,000,000 tasks in the export benchmark
#                                     # (about 8 minutes more)
#   benchmarks/run.sh Stream -f 2     # any JMH arguments (a benchmark regex, more forks, ...); no memory program
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp -q -DskipTests -pl benchmarks -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

# Ten measured iterations: a figure counts only if its 99.9 % error is below 10 % of it, and with
# three iterations (Student's t of 31.6) that needs a spread under 0.6 %; with ten (t of 4.8), under
# 6.6 %. Where that is still not reached, more forks: `benchmarks/run.sh Cpu -wi 4 -w 1s -i 10 -r 1s -f 3`.
# Fork JVM options (they replace the benchmarks' own @Fork jvmArgsAppend): a 3 GiB heap, enough for
# the export benchmark's queue of 1,000,000 tasks with --full; and, as a non-daemon pool thread
# sometimes outlives a fork (seen with every benchmark class), no 30 s wait for it at the fork's exit.
short=(-wi 4 -w 1s -i 10 -r 1s -f 1 -prof gc
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
