/**
 * phospho-reactive: logs the tasks of LLM applications to phospho, built on Project Reactor.
 * Exports the API ({@code ai.phospho.reactive}) and the exporters with their SPI
 * ({@code ai.phospho.reactive.export}); {@code ai.phospho.reactive.internal} is not exported.
 */
module ai.phospho.reactive {
	requires transitive reactor.core;
	requires transitive org.reactivestreams;
	requires reactor.netty.core;
	requires reactor.netty.http;
	requires io.netty.buffer;
	requires io.netty.codec.http;
	requires io.netty.common;
	requires io.netty.handler;
	requires io.netty.transport;
	requires tools.jackson.core;
	requires tools.jackson.databind;
	requires static transitive org.jspecify;
	// Optional: PhosphoContext values follow the Reactor Context onto threads when it is present.
	requires static context.propagation;

	exports ai.phospho.reactive;
	exports ai.phospho.reactive.export;

	uses ai.phospho.reactive.PhosphoExtractor;

	// No `provides` of context-propagation's ThreadLocalAccessor: with the library optional, the boot
	// layer could not be resolved without it. The accessor is registered when a client is made
	// (internal.ContextPropagation); on the class path, META-INF/services still declares it.
}
