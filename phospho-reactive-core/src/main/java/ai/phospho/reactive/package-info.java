/**
 * Log the tasks of LLM applications (input, output, metadata) to phospho from Reactor code.
 *
 * <pre>{@code
 * Phospho.init();
 * Phospho.log("What is the speed of light?", "299,792 km/s");
 * chunks.transform(Phospho.logStream(request)).subscribe(...);
 * }</pre>
 */
@NullMarked
package ai.phospho.reactive;

import org.jspecify.annotations.NullMarked;
