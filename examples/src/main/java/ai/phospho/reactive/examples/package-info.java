/**
 * The examples of the phospho logging guide, in Java: one program per section, and
 * {@link ai.phospho.reactive.examples.RunAllExamples} to run them all.
 */
@NullMarked
package ai.phospho.reactive.examples;

import org.jspecify.annotations.NullMarked;
