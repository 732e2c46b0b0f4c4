/**
 * Spring AI: {@link ai.phospho.reactive.springai.PhosphoAdvisor} logs every {@code ChatClient}
 * call and stream as a phospho task.
 */
@NullMarked
package ai.phospho.reactive.springai;

import org.jspecify.annotations.NullMarked;
