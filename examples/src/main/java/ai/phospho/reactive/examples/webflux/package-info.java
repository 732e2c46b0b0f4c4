/**
 * A Spring Boot WebFlux application: {@code POST /chat} streams an OpenAI answer as Server-Sent
 * Events, each request logged to phospho as one task in the session named by {@code X-Session-Id}.
 */
@NullMarked
package ai.phospho.reactive.examples.webflux;

import org.jspecify.annotations.NullMarked;
