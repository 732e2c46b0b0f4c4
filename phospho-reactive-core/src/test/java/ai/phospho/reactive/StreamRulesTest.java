package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.phospho.reactive.internal.Callbacks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Default stop rule, usage and model, extractor failures and the Reactor Context. */
class StreamRulesTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final RecordingExporter exporter = RecordingExporter.immediate();
	private final PhosphoClient client = exporter.client();

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	private static Map<String, Object> openAiChunk(String content, String finishReason) {
		Map<String, Object> delta = content == null ? Map.of() : Map.of("content", content);
		Map<String, Object> choice = finishReason == null ? Map.of("index", 0, "delta", delta)
				: Map.of("index", 0, "delta", delta, "finish_reason", finishReason);
		return Map.of("id", "c-1", "model", "gpt-4o-mini", "choices", List.of(choice));
	}

	@Test
	void aBareFinishReasonDoesNotStopAndTheUsageChunkEndsTheTaskAsCompletedWithTokens() {
		Map<String, Object> request = Map.of("model", "gpt-4o-mini", "messages",
				List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "Hi?")));
		Map<String, Object> usage = Map.of("id", "c-1", "model", "gpt-4o-mini", "choices", List.of(),
				"usage", Map.of("prompt_tokens", 12, "completion_tokens", 3, "total_tokens", 15));
		Flux<Map<String, Object>> chunks = Flux.just(openAiChunk("Hel", null), openAiChunk("lo", null),
				openAiChunk(null, "stop"), usage, openAiChunk("after", null));

		StepVerifier.create(chunks.transform(client.logStream(request)))
				.expectNextCount(5)
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("Hi?");
		assertThat(t.systemPrompt()).isEqualTo("Be brief.");
		assertThat(t.output()).isEqualTo("Hello");
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
		assertThat(t.promptTokens()).isEqualTo(12L);
		assertThat(t.completionTokens()).isEqualTo(3L);
		assertThat(t.totalTokens()).isEqualTo(15L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 4L);
		assertThat((List<?>) t.rawOutput()).hasSize(4);
	}

	@Test
	void aRawOutputCollectorReplacesTheListOfChunks() {
		Flux<String> chunks = Flux.just("Hel", "lo", " world");
		StreamLog<String> spec = StreamLog.<String>of("q")
				.rawOutput(java.util.stream.Collectors.toMap(c -> "chunk_" + c.length(), c -> c, (a, b) -> a + b));

		StepVerifier.create(chunks.transform(client.logStream(spec)))
				.expectNext("Hel", "lo", " world")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Hello world");
		assertThat(t.rawOutput()).isEqualTo(Map.of("chunk_3", "Hel", "chunk_2", "lo", "chunk_6", " world"));
		assertThat(t.rawOutputTypeName()).isEqualTo("HashMap");
	}

	@Test
	void aThrowingRawOutputCollectorLeavesTheStreamAndTheTextAloneAndIsReportedOnce() {
		java.util.stream.Collector<String, List<String>, List<String>> failing = java.util.stream.Collector.of(
				java.util.ArrayList::new, (list, c) -> {
					if (c.equals("lo")) {
						throw new IllegalStateException("boom");
					}
					list.add(c);
				}, (a, b) -> a);

		StepVerifier.create(Flux.just("Hel", "lo", "!").transform(client.logStream(StreamLog.<String>of("q")
						.rawOutput(failing))))
				.expectNext("Hel", "lo", "!")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Hello!");
		assertThat(t.rawOutput()).isNull();
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
		assertThat(Callbacks.wasReported("rawOutput:" + failing.getClass().getName())).isTrue();
	}

	@Test
	void anOllamaDoneChunkEndsTheTask() {
		Flux<Map<String, Object>> lines = Flux.just(Map.of("model", "mistral", "response", "Qu", "done", false),
				Map.of("model", "mistral", "response", "bits", "done", false),
				Map.of("model", "mistral", "response", "", "done", true, "prompt_eval_count", 5, "eval_count", 2));

		StepVerifier.create(lines.transform(client.logStream("Explain"))).expectNextCount(3).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Qubits");
		assertThat(t.model()).isEqualTo("mistral");
		assertThat(t.totalTokens()).isEqualTo(7L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void extractorsFoundByTheServiceLoaderGiveTheChunkTextAndTheStopRule() {
		Flux<TypedChunkExtractor.Chunk> chunks = Flux.just(new TypedChunkExtractor.Chunk("Hel", false),
				new TypedChunkExtractor.Chunk("lo", true), new TypedChunkExtractor.Chunk("after", false));

		StepVerifier.create(chunks.transform(client.logStream("q"))).expectNextCount(3).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Hello");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 2L);
		assertThat(t.rawOutput()).isEqualTo(List.of(Map.of("token", "Hel", "last", false),
				Map.of("token", "lo", "last", true)));
	}

	@Test
	void anExtractorIsNotAskedAboutChunksOfClassesItDoesNotRead() {
		int before = TypedChunkExtractor.ASKED_ABOUT_OTHERS.get();
		Flux<Object> chunks = Flux.just(openAiChunk("Hel", null), new SpiTestExtractor.Typed("lo"), List.of("!"),
				openAiChunk(null, "stop"));

		StepVerifier.create(chunks.transform(client.logStream("q"))).expectNextCount(4).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.metadata()).containsEntry("chunk_count", 4L).containsEntry("finish_reason", "stop");
		assertThat(TypedChunkExtractor.ASKED_ABOUT_OTHERS.get()).isEqualTo(before);
	}

	@Test
	void anExtractorWhoseTextChunksNeverEndAStreamIsAskedOnlyAboutTheChunksWithoutText() {
		int before = TypedChunkExtractor.FINAL_ASKED.get();
		// The fourth chunk breaks the promise (text, and last): it is not asked about, so it does not
		// end the stream; the sixth, without text, is asked about and ends it.
		Flux<TypedChunkExtractor.Said> chunks = Flux.just(new TypedChunkExtractor.Said("He", false),
				new TypedChunkExtractor.Said("l", false), new TypedChunkExtractor.Said("l", false),
				new TypedChunkExtractor.Said("o", true), new TypedChunkExtractor.Said("!", false),
				new TypedChunkExtractor.Said("", true), new TypedChunkExtractor.Said("after", false));

		StepVerifier.create(chunks.transform(client.logStream("q"))).expectNextCount(7).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Hello!");
		assertThat(t.model()).isEqualTo("said-model");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 6L);
		// The first chunk, read in full while no model was known, and the one without text.
		assertThat(TypedChunkExtractor.FINAL_ASKED.get() - before).isEqualTo(2);
	}

	@Test
	void aThrowingTextChunksMayEndIsReportedOnceAndTheExtractorIsAskedAboutEveryChunk() {
		int before = TypedChunkExtractor.FINAL_ASKED.get();
		Flux<TypedChunkExtractor.Loud> chunks = Flux.just(new TypedChunkExtractor.Loud("a", false),
				new TypedChunkExtractor.Loud("b", false), new TypedChunkExtractor.Loud("c", true),
				new TypedChunkExtractor.Loud("d", false));

		StepVerifier.create(chunks.transform(client.logStream("q"))).expectNextCount(4).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("abc");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 3L);
		assertThat(TypedChunkExtractor.FINAL_ASKED.get() - before).isEqualTo(3);
		assertThat(Callbacks.wasReported("textChunksMayEnd:" + TypedChunkExtractor.class.getName())).isTrue();
	}

	@Test
	void aThrowingStopPredicateLeavesTheStreamIntactAndLogsWhatWasGathered() {
		class ExplodingStop implements java.util.function.Predicate<String> {
			@Override
			public boolean test(String s) {
				if (s.equals("b")) {
					throw new IllegalStateException("stop exploded");
				}
				return false;
			}
		}
		StepVerifier.create(Flux.just("a", "b", "c").transform(client.logStream("q", new ExplodingStop())))
				.expectNext("a", "b", "c")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("ab");
		assertThat(t.metadata()).containsEntry("stream_status", "stopped");
		assertThat((String) t.metadata().get("capture_error")).contains(ExplodingStop.class.getName())
				.contains("stop exploded");
		assertThat(Callbacks.wasReported("stop:" + ExplodingStop.class.getName())).isTrue();
	}

	@Test
	void aThrowingChunkExtractorFallsBackToTheDefaultTextAndIsReportedOnce() {
		class ExplodingExtractor implements Function<String, String> {
			@Override
			public String apply(String s) {
				if (s.equals("b")) {
					throw new IllegalArgumentException("extractor exploded");
				}
				return s.toUpperCase();
			}
		}
		StepVerifier.create(Flux.just("a", "b", "c")
						.transform(client.logStream(StreamLog.<String>of("q").outputToString(new ExplodingExtractor()))))
				.expectNext("a", "b", "c")
				.expectComplete().verify(TIMEOUT);

		assertThat(exporter.only(client).output()).isEqualTo("AbC");
		assertThat(Callbacks.wasReported("outputToString:" + ExplodingExtractor.class.getName())).isTrue();
	}

	@Test
	void contextValuesFillTheTaskAndExplicitValuesWin() {
		Flux<String> fromContext = Flux.just("a").transform(client.logStream("q"))
				.contextWrite(PhosphoContext.session("s-ctx").user("u-ctx").version("v-ctx").task("t-ctx")
						.metadata("k", "ctx").metadata("only-ctx", 1));
		StepVerifier.create(fromContext).expectNext("a").expectComplete().verify(TIMEOUT);

		Flux<String> explicit = Flux.just("a")
				.transform(client.logStream(StreamLog.of("q").sessionId("s-call").metadata(Map.of("k", "call"))))
				.contextWrite(PhosphoContext.session("s-ctx").user("u-ctx").metadata("k", "ctx"));
		StepVerifier.create(explicit).expectNext("a").expectComplete().verify(TIMEOUT);

		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).hasSize(2);
		LoggedTask ctx = tasks.get(0);
		assertThat(ctx.sessionId()).isEqualTo("s-ctx");
		assertThat(ctx.userId()).isEqualTo("u-ctx");
		assertThat(ctx.versionId()).isEqualTo("v-ctx");
		assertThat(ctx.taskId()).isEqualTo("t-ctx");
		assertThat(ctx.metadata()).containsEntry("k", "ctx").containsEntry("only-ctx", 1L);
		LoggedTask call = tasks.get(1);
		assertThat(call.sessionId()).isEqualTo("s-call");
		assertThat(call.userId()).isEqualTo("u-ctx");
		assertThat(call.metadata()).containsEntry("k", "call");
	}

	@Test
	void severalContextWritesMergeWithTheOneNearestTheSourceWinning() {
		Flux<String> f = Flux.just("a").transform(client.logStream("q"))
				.contextWrite(PhosphoContext.session("near").metadata("a", 1))
				.contextWrite(PhosphoContext.session("far").user("u").metadata("b", 2));
		StepVerifier.create(f).expectNext("a").expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.sessionId()).isEqualTo("near");
		assertThat(t.userId()).isEqualTo("u");
		assertThat(t.metadata()).containsEntry("a", 1L).containsEntry("b", 2L);
	}

	@Test
	void tapTakesItsInputFromTheContextOrLogsAnEmptyInput() {
		StepVerifier.create(client.tap(Flux.just("x", "STOP", "y"), "STOP"::equals)
						.contextWrite(PhosphoContext.input("from context")))
				.expectNext("x", "STOP", "y")
				.expectComplete().verify(TIMEOUT);
		StepVerifier.create(client.tap(Flux.just("z"))).expectNext("z").expectComplete().verify(TIMEOUT);

		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).extracting(LoggedTask::input).containsExactly("from context", "");
		assertThat(tasks).extracting(LoggedTask::output).containsExactly("xSTOP", "z");
	}

	@Test
	void phosphoContextValuesAreImmutable() {
		PhosphoContext.Values base = PhosphoContext.session("s");
		PhosphoContext.Values more = base.user("u");
		assertThat(base.snapshot.userId()).isNull();
		assertThat(more.snapshot.sessionId()).isEqualTo("s");
		assertThat(more.snapshot.userId()).isEqualTo("u");
	}
}
