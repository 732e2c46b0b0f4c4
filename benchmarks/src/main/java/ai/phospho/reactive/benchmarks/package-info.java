/**
 * JMH benchmarks of phospho-reactive, each measured against a baseline in the same run; see
 * {@link ai.phospho.reactive.benchmarks.RunBenchmarks}.
 */
@NullMarked
package ai.phospho.reactive.benchmarks;

import org.jspecify.annotations.NullMarked;
