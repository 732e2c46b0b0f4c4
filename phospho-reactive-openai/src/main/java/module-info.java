/**
 * OpenAI and Ollama for phospho-reactive: typed records, extraction (also for the official
 * openai-java SDK's types when it is present), and reactive clients that log every call.
 */
module ai.phospho.reactive.openai {
	requires transitive ai.phospho.reactive;
	requires reactor.netty.core;
	requires reactor.netty.http;
	requires io.netty.buffer;
	requires io.netty.codec.http;
	requires io.netty.handler;
	requires io.netty.transport;
	requires tools.jackson.core;
	requires tools.jackson.databind;
	requires com.fasterxml.jackson.annotation;
	requires static transitive org.jspecify;
	// The official SDK (and its Jackson 2) is optional; its jar has no module name of its own, so
	// this is the one Java derives from the file name.
	requires static openai.java.core;
	requires static com.fasterxml.jackson.core;
	requires static com.fasterxml.jackson.databind;

	exports ai.phospho.reactive.openai;

	// The records are read and written by Jackson.
	opens ai.phospho.reactive.openai to tools.jackson.databind;

	provides ai.phospho.reactive.PhosphoExtractor with ai.phospho.reactive.openai.OpenAiExtractor;
}
