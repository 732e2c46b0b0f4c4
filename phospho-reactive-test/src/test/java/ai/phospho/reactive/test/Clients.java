package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import ai.phospho.reactive.export.PhosphoHttpExporterBuilder;
import reactor.core.publisher.Flux;

/** Clients of a mock server with test-sized backoff, and a bounded wait for a condition. */
final class Clients {

	private Clients() {
	}

	/**
	 * A client of {@code server}: backoff 10-100 ms, a linger long enough that batches are cut by
	 * {@code flush()} (so a test knows its batches), a 5 s shutdown timeout.
	 */
	static PhosphoClient client(MockPhosphoServer server, UnaryOperator<PhosphoOptionsBuilder> more) {
		return PhosphoClient.create(more.apply(server.options()
				.httpExporter(http -> http.initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(100)))
				.lingerDelay(Duration.ofSeconds(30))
				.shutdownTimeout(Duration.ofSeconds(5))).build());
	}

	static PhosphoClient client(MockPhosphoServer server) {
		return client(server, b -> b);
	}

	/** An HTTP exporter of {@code server}: its key, project and base URL, and the default settings. */
	static PhosphoHttpExporterBuilder exporter(MockPhosphoServer server) {
		return PhosphoHttpExporter.builder().apiKey(server.apiKey()).projectId(server.projectId())
				.baseUrl(server.baseUrl());
	}

	/** Polls every 10 ms until {@code condition} holds; {@link AssertionError} after {@code timeout}. */
	static void await(String what, Duration timeout, BooleanSupplier condition) {
		Boolean ok = Flux.interval(Duration.ZERO, Duration.ofMillis(10))
				.map(i -> condition.getAsBoolean())
				.filter(b -> b)
				.next()
				.timeout(timeout, reactor.core.publisher.Mono.just(false))
				.block();
		if (!Boolean.TRUE.equals(ok)) {
			throw new AssertionError("expected within " + timeout + ": " + what);
		}
	}
}
