package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static ai.phospho.reactive.TestSupport.map;
import static ai.phospho.reactive.TestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What real providers send that the textbook shapes do not: tool calls, refusals, several choices,
 * empty models, usage details and usage on every chunk, the SDK's fallbacks. Logged whole and
 * streamed as maps.
 */
class ProviderShapesTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);
	private static final String TOOL_CALLS = "{\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
			+ "\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
			+ "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Tokyo\\\"}\"}},{\"id\":\"call_2\",\"type\":"
			+ "\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}";

	private final RecordingExporter exporter = RecordingExporter.immediate();
	private final PhosphoClient client = exporter.client();

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	@Test
	void toolCallsAreOneLinePerCallAfterTheTextAndStayInTheRawOutput() {
		LoggedTask onlyCalls = task("q", map(TOOL_CALLS));
		LoggedTask withText = task("q", map(TOOL_CALLS.replace("\"content\":null", "\"content\":\"Let me check.\"")));

		assertThat(onlyCalls.output()).isEqualTo("get_weather({\"city\":\"Tokyo\"})\nget_time({})");
		assertThat(withText.output()).isEqualTo("Let me check.\nget_weather({\"city\":\"Tokyo\"})\nget_time({})");
		assertThat(TestSupport.JSON.writeValueAsString(onlyCalls.rawOutput())).isEqualTo(TOOL_CALLS);
	}

	@Test
	void aRefusalGivesTheRefusalText() {
		LoggedTask t = task("q", map("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
				+ "\"refusal\":\"I'm sorry, I can't help with that.\"}}]}"));

		assertThat(t.output()).isEqualTo("I'm sorry, I can't help with that.");
	}

	@Test
	void theOutputIsTheChoiceWithIndexZeroWhereverItIsInTheList() {
		LoggedTask t = task("q", map("{\"choices\":[{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":"
				+ "\"second\"}},{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"first\"}}]}"));

		assertThat(t.output()).isEqualTo("first");
	}

	@Test
	void aMessageWithNoTextAtAllFallsBackToTheJsonOfTheWholeValueAsTheSdkDoes() {
		String audio = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
				+ "\"audio\":{\"id\":\"audio_1\"}}}]}";

		assertThat(task("q", map(audio)).output()).isEqualTo(audio);
	}

	@Test
	void aRequestsTopLevelSystemKeyWinsOverItsSystemMessage() {
		LoggedTask t = task(map("{\"system\":\"From the key.\",\"messages\":[{\"role\":\"system\",\"content\":"
				+ "\"From the message.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}"), "out");

		assertThat(t.systemPrompt()).isEqualTo("From the key.");
	}

	@Test
	void aLastMessageWithoutContentGivesTheJsonOfTheRequestNeverAnEmptyInput() {
		String nullContent = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
				+ "\"content\":null,\"tool_calls\":[]}]}";
		String missing = "{\"messages\":[{\"role\":\"user\"}]}";
		String empty = "{\"messages\":[{}]}";

		assertThat(task(map(nullContent), "o").input()).isEqualTo(nullContent);
		assertThat(task(map(missing), "o").input()).isEqualTo(missing);
		assertThat(task(map(empty), "o").input()).isEqualTo(empty);
		assertThat(task(map("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}"), "o").input()).isEmpty();
	}

	@Test
	void everyUsageFieldIsSentUnderItsOwnNameFractionsIncluded() {
		LoggedTask openAi = task("q", map("{\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":14,"
				+ "\"completion_tokens\":30,\"total_tokens\":44,\"prompt_tokens_details\":{\"cached_tokens\":2},"
				+ "\"completion_tokens_details\":{\"reasoning_tokens\":5}}}"));
		LoggedTask anthropic = task("q", map("{\"model\":\"claude\",\"usage\":{\"input_tokens\":10,"
				+ "\"output_tokens\":2.5,\"cache_read_input_tokens\":0}}"));
		LoggedTask ollama = task("q", map("{\"model\":\"llama3.2\",\"response\":\"\",\"done\":true,"
				+ "\"total_duration\":10706818083,\"load_duration\":6338219291,\"prompt_eval_count\":26,"
				+ "\"prompt_eval_duration\":130079000,\"eval_count\":259,\"eval_duration\":4232710000}"));

		assertThat(openAi.toMap()).containsEntry("prompt_tokens", 14L).containsEntry("total_tokens", 44L)
				.containsEntry("prompt_tokens_details", Map.of("cached_tokens", 2L))
				.containsEntry("completion_tokens_details", Map.of("reasoning_tokens", 5L));
		assertThat(anthropic.toMap()).containsEntry("input_tokens", 10L).containsEntry("output_tokens", 2.5)
				.containsEntry("cache_read_input_tokens", 0L).doesNotContainKey("prompt_tokens");
		assertThat(List.of(anthropic.promptTokens(), anthropic.completionTokens())).containsExactly(10L, 2L);
		assertThat(ollama.usage()).containsExactly(Map.entry("prompt_tokens", 26L), Map.entry("completion_tokens", 259L),
				Map.entry("total_tokens", 285L), Map.entry("prompt_eval_count", 26L), Map.entry("eval_count", 259L),
				Map.entry("total_duration", 10706818083L), Map.entry("load_duration", 6338219291L),
				Map.entry("prompt_eval_duration", 130079000L), Map.entry("eval_duration", 4232710000L));
	}

	@Test
	void anEmptyModelNeverHidesAKnownOne() {
		assertThat(task(map("{\"model\":\"gpt-4o-mini\"}"), map("{\"model\":\"\",\"choices\":[]}")).model())
				.isEqualTo("gpt-4o-mini");
	}

	@Test
	void usageOnEveryChunkDoesNotEndTheTaskAndTheLastUsageWins() {
		List<Map<String, Object>> chunks = new ArrayList<>();
		String[] words = {"Hel", "lo", "!"};
		for (int i = 0; i < words.length; i++) {
			chunks.add(map("{\"model\":\"sonar\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + words[i]
					+ "\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + (i + 1) + ",\"total_tokens\":"
					+ (i + 6) + "}}"));
		}

		StepVerifier.create(Flux.fromIterable(chunks).transform(client.logStream("q")))
				.expectNextCount(3)
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Hello!");
		assertThat(List.of(t.promptTokens(), t.completionTokens(), t.totalTokens())).containsExactly(5L, 3L, 8L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 3L);
	}

	@Test
	void azureFilterChunksWithEmptyModelsKeepTheModelOfTheCompletion() {
		Flux<Map<String, Object>> chunks = Flux.just(
				map("{\"id\":\"\",\"model\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0}],\"choices\":[]}"),
				map("{\"id\":\"c\",\"model\":\"gpt-35-turbo\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"),
				map("{\"id\":\"\",\"model\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":null,"
						+ "\"content_filter_results\":{}}]}"));

		StepVerifier.create(chunks.transform(client.logStream("q"))).expectNextCount(3).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.model()).isEqualTo("gpt-35-turbo");
		assertThat(t.output()).isEqualTo("Hi");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 3L);
	}

	@Test
	void streamedToolCallFragmentsAndOtherChoicesGiveTheOutputOfChoiceZero() {
		Flux<Map<String, Object>> chunks = Flux.just(
				map("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Sure.\"}}]}"),
				map("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"Other choice\"}}]}"),
				map("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":"
						+ "{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}}]}"),
				map("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
						+ "\"ty\\\":\\\"Tokyo\\\"}\"}}]}}]}"),
				map("{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":null},\"finish_reason\":\"tool_calls\"}]}"));

		StepVerifier.create(chunks.transform(client.logStream("q"))).expectNextCount(5).expectComplete().verify(TIMEOUT);

		assertThat(exporter.only(client).output()).isEqualTo("Sure.\nget_weather({\"city\":\"Tokyo\"})");
	}

	@Test
	void theDoneSentinelOfAStreamOfStringsEndsTheTaskAsCompletedWithoutBeingText() {
		StepVerifier.create(Flux.just("Hel", "lo", "[DONE]", "late").transform(client.logStream("q")))
				.expectNext("Hel", "lo", "[DONE]", "late")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("Hello");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 3L);
	}

	@Test
	void onlyAUserStopPredicateGivesStopped() {
		StepVerifier.create(Flux.just("a", "b", "c").transform(client.logStream("q", "b"::equals)))
				.expectNext("a", "b", "c")
				.expectComplete().verify(TIMEOUT);

		assertThat(exporter.only(client).metadata()).containsEntry("stream_status", "stopped")
				.containsEntry("chunk_count", 2L);
	}
}
