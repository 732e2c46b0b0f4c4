/**
 * The test kit of phospho-reactive: a client that exports to memory, and mock phospho and
 * OpenAI-compatible servers on the loopback interface.
 */
module ai.phospho.reactive.test {
	requires transitive ai.phospho.reactive;
	requires transitive reactor.netty.http;
	requires reactor.netty.core;
	requires io.netty.buffer;
	requires io.netty.codec.http;
	requires io.netty.common;
	requires io.netty.transport;
	requires tools.jackson.core;
	requires tools.jackson.databind;
	requires static transitive org.jspecify;
	requires static org.junit.jupiter.api;

	exports ai.phospho.reactive.test;
	exports ai.phospho.reactive.test.openai;
}
