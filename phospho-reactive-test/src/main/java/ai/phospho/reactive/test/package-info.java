/**
 * Test kit for applications that log to phospho: an in-memory exporter and a mock phospho server.
 */
@NullMarked
package ai.phospho.reactive.test;

import org.jspecify.annotations.NullMarked;
