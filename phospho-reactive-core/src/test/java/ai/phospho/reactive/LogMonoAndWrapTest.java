package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogMonoAndWrapTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final RecordingExporter exporter = RecordingExporter.immediate();
	private final PhosphoClient client = exporter.client();

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	@Test
	void aMonoValueIsLoggedAsTheOutputWithItsLatency() {
		Map<String, Object> completion = Map.of("model", "gpt-4o-mini",
				"choices", List.of(Map.of("message", Map.of("role", "assistant", "content", "42"))),
				"usage", Map.of("prompt_tokens", 5, "completion_tokens", 1, "total_tokens", 6));
		StepVerifier.create(client.logMono("The answer?", Mono.just(completion)))
				.expectNext(completion)
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("The answer?");
		assertThat(t.output()).isEqualTo("42");
		assertThat(t.totalTokens()).isEqualTo(6L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsKey("latency_ms")
				.doesNotContainKey("chunk_count");
	}

	@Test
	void blockingOnALoggedMonoStillLogsACompletedTask() {
		// block() cancels upstream after the value: the value is the Mono's success all the same.
		assertThat(Mono.just("v").transform(client.logMono("q")).block(TIMEOUT)).isEqualTo("v");

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("v");
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void anEmptyMonoLogsATaskWithoutOutput() {
		StepVerifier.create(Mono.<String>empty().transform(client.logMono("q"))).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isNull();
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void aFailingMonoLogsTheErrorAndPassesItOn() {
		IllegalStateException boom = new IllegalStateException("no");
		StepVerifier.create(client.logMono("q", Mono.<String>error(boom)))
				.expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
				.verify(TIMEOUT);

		assertThat(exporter.only(client).metadata()).containsEntry("stream_status", "error")
				.containsEntry("error", "java.lang.IllegalStateException: no");
	}

	@Test
	void aCancelledMonoLogsACancelledTask() {
		StepVerifier.create(Mono.<String>never().transform(client.logMono("q")))
				.expectSubscription().thenCancel().verify(TIMEOUT);

		assertThat(exporter.only(client).metadata()).containsEntry("stream_status", "cancelled");
	}

	@Test
	void aMonoReadsTheContext() {
		StepVerifier.create(client.logMono("q", Mono.just("v")).contextWrite(PhosphoContext.session("s-m")))
				.expectNext("v").expectComplete().verify(TIMEOUT);

		assertThat(exporter.only(client).sessionId()).isEqualTo("s-m");
	}

	@Test
	void aWrappedFunctionLogsItsArgumentAndResult() {
		Function<String, Integer> length = client.wrap(String::length, Map.of("more", "details"));
		assertThat(length.apply("four")).isEqualTo(4);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("four");
		assertThat(t.output()).isEqualTo("4");
		assertThat(t.metadata()).containsEntry("more", "details").containsKey("latency_ms");
	}

	@Test
	void aWrappedBiFunctionLogsItsArgumentsKeyedByPosition() {
		BiFunction<String, Integer, String> repeat = client.wrap((String s, Integer n) -> s.repeat(n));
		assertThat(repeat.apply("ab", 2)).isEqualTo("abab");

		LoggedTask t = exporter.only(client);
		assertThat(t.rawInput()).isEqualTo(Map.of("0", "ab", "1", 2L));
		assertThat(t.output()).isEqualTo("abab");
	}

	@Test
	void aWrappedSupplierLogsAnEmptyInput() {
		Supplier<String> hello = client.wrap(() -> "hello", Map.of("k", "v"));
		assertThat(hello.get()).isEqualTo("hello");

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEmpty();
		assertThat(t.output()).isEqualTo("hello");
		assertThat(t.metadata()).containsEntry("k", "v");
	}

	@Test
	void anExceptionOfAWrappedFunctionIsLoggedAndRethrownUnchanged() {
		IllegalArgumentException boom = new IllegalArgumentException("bad input");
		Function<String, String> failing = client.wrap(s -> {
			throw boom;
		});
		assertThatThrownBy(() -> failing.apply("x")).isSameAs(boom);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("x");
		assertThat(t.output()).isNull();
		assertThat(t.metadata()).containsEntry("error", "java.lang.IllegalArgumentException: bad input");
	}

	@Test
	void wrapMonoLogsEachReturnedMonoWithTheArgumentAsInput() {
		Function<String, Mono<String>> upper = client.wrapMono(s -> Mono.just(s.toUpperCase()), Map.of("k", 1));
		StepVerifier.create(upper.apply("abc")).expectNext("ABC").expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("abc");
		assertThat(t.output()).isEqualTo("ABC");
		assertThat(t.metadata()).containsEntry("k", 1L).containsEntry("stream_status", "completed");
	}

	@Test
	void wrapMonoLogsASynchronousThrowAndRethrowsIt() {
		IllegalStateException boom = new IllegalStateException("sync");
		Function<String, Mono<String>> failing = client.wrapMono(s -> {
			throw boom;
		});
		assertThatThrownBy(() -> failing.apply("x")).isSameAs(boom);
		assertThat(exporter.only(client).metadata()).containsEntry("error", "java.lang.IllegalStateException: sync");
	}

	@Test
	void wrapFluxLogsEachReturnedStreamUntilTheStopChunk() {
		Function<String, Flux<String>> words = client.wrapFlux(s -> Flux.fromArray(s.split(" ")),
				w -> w.endsWith("."), Map.of("k", "v"));
		StepVerifier.create(words.apply("one two. three")).expectNext("one", "two.", "three").expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("one two. three");
		assertThat(t.output()).isEqualTo("onetwo.");
		assertThat(t.metadata()).containsEntry("stream_status", "stopped").containsEntry("k", "v");
	}
}
