/**
 * Internal classes of phospho-reactive: not public API, they may change in any release.
 */
@NullMarked
package ai.phospho.reactive.internal;

import org.jspecify.annotations.NullMarked;
