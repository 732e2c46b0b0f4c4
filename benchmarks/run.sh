#!/usr/bin/env bash
# Runs the JMH suite and writes benchmarks/results/latest.md (figures, same-run baselines, ratios,
# allocation per operation, JDK, cores, date).
#
#   benchmarks/run.sh                 # the short suite: a few minutes on 2 cores
#   benchmarks/run.sh Stream -f 2     # any JMH arguments: a benchmark regex, more forks, ...
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -ntp -q -DskipTests -pl benchmarks -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(-wi 2 -w 1s -i 3 -r 1s -f 1 -prof gc)
fi

java -Dresults=benchmarks/results/latest.md \
     -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
     ai.phospho.reactive.benchmarks.RunBenchmarks "${args[@]}"
