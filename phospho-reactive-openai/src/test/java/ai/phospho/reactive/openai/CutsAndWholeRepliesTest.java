package ai.phospho.reactive.openai;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import ai.phospho.reactive.test.openai.Replay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection cut in the middle of a line, and the non-streamed forms of the real-traffic rules. */
class CutsAndWholeRepliesTest {

	static final String PROMPT = "Explain quantum computers in less than 20 words.";
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient fx = PhosphoTestClient.create();
	final OpenAiClient openAi = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey(Fixtures.API_KEY)
			.phospho(fx.client()).build();
	final OllamaClient ollama = OllamaClient.builder().baseUrl(server.rootUrl()).phospho(fx.client()).build();
	final ChatCompletionRequest request = ChatCompletionRequest.builder("gpt-4o-mini").user(PROMPT).build();

	@AfterEach
	void close() {
		fx.close();
		server.close();
	}

	/** The offset of the middle of the {@code n}th line that contains {@code marker}. */
	static int middleOf(Recording r, String marker) {
		String body = new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
		int at = body.indexOf(marker);
		return body.indexOf('\n', at) - 20;
	}

	@Test
	void aConnectionCutInTheMiddleOfAnSseLineIsATransportErrorAndThePartialTaskIsLoggedAsError() {
		Recording r = Recording.OPENAI_TEXT_USAGE;
		server.enqueue(r.replay().inPieces(7).cutAfter(middleOf(r, "\" weather\"")));

		StepVerifier.create(openAi.chatStream(request).map(ChatCompletionChunk::text).collectList())
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IOException.class)
						.hasMessageContaining("prematurely closed"))
				.verify(TIMEOUT);

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).startsWith("I'm unable to provide real-time").doesNotContain("weather updates");
		assertThat(t.metadata()).containsEntry("stream_status", "error");
		assertThat((String) t.metadata().get("error")).contains("prematurely closed");
	}

	@Test
	void aCloseDelimitedBodyThatEndsInTheMiddleOfALineIsAPrematureCloseNotABadEvent() {
		// Read as the client reads the end of a body: the last line has no line end and no JSON end.
		SseParser parser = new SseParser();
		parser.feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel".getBytes());
		List<SseParser.Event> last = parser.finish();

		assertThat(last).singleElement().satisfies(e -> assertThat(e.unterminated()).isTrue());
		assertThat(Transport.prematureClose(12)).isInstanceOf(IOException.class)
				.hasMessage("Connection prematurely closed DURING response: the body ended in the middle of a line "
						+ "(12 chars of it)");
	}

	@Test
	void anOllamaStreamCutInTheMiddleOfALineIsATransportError() {
		Recording r = Recording.OLLAMA_CHAT_TOOL_CALLS;
		server.enqueue(r.replay().inPieces(3).cutAfter(middleOf(r, "\"done\":true")));

		StepVerifier.create(ollama.chatStream(OllamaChatRequest.of("llama3.2", List.of(OllamaMessage.user(PROMPT)))))
				.expectNextCount(1)
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IOException.class))
				.verify(TIMEOUT);

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("get_current_weather({\"format\":\"celsius\",\"location\":\"Paris, FR\"})");
		assertThat(t.metadata()).containsEntry("stream_status", "error").containsEntry("chunk_count", 1L);
	}

	@Test
	void aWholeCompletionWithToolCallsRefusalOrSeveralChoicesIsLoggedAsItsReadableText() {
		server.enqueue(Replay.of(200, "application/json", "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
				+ "\"created\":1727346172,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":"
				+ "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
				+ "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Tokyo\\\"}\"}}],"
				+ "\"refusal\":null},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":80,"
				+ "\"completion_tokens\":17,\"total_tokens\":97,\"prompt_tokens_details\":{\"cached_tokens\":64}}}"));
		server.enqueue(Replay.of(200, "application/json", "{\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,"
				+ "\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I'm sorry, I can't assist with "
				+ "that request.\"},\"finish_reason\":\"stop\"}]}"));
		server.enqueue(Replay.of(200, "application/json", "{\"model\":\"\",\"prompt_filter_results\":[],\"choices\":"
				+ "[{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"second\"}},{\"index\":0,\"message\":"
				+ "{\"role\":\"assistant\",\"content\":\"first\"}}]}"));

		for (int i = 0; i < 3; i++) {
			StepVerifier.create(openAi.chat(request)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		}

		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).extracting(LoggedTask::output).containsExactly("get_weather({\"city\":\"Tokyo\"})",
				"I'm sorry, I can't assist with that request.", "first");
		assertThat(tasks.get(0).toMap()).containsEntry("prompt_tokens_details", java.util.Map.of("cached_tokens", 64L));
		assertThat(tasks.get(2).model()).as("an empty model is no model: the request's").isEqualTo("gpt-4o-mini");
	}

	@Test
	void aWholeOllamaChatReplyWithToolCallsKeepsThemInTheOutputTheRawOutputAndItsCounts() {
		server.enqueue(Replay.of(200, "application/json", "{\"model\":\"llama3.2\",\"created_at\":"
				+ "\"2024-07-22T20:33:28.123648Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
				+ "[{\"function\":{\"name\":\"get_current_weather\",\"arguments\":{\"format\":\"celsius\",\"location\":"
				+ "\"Paris, FR\"}}}]},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":885095291,"
				+ "\"load_duration\":3753500,\"prompt_eval_count\":122,\"prompt_eval_duration\":328493000,"
				+ "\"eval_count\":33,\"eval_duration\":552222000}"));

		StepVerifier.create(ollama.chat(OllamaChatRequest.of("llama3.2", List.of(OllamaMessage.user(PROMPT)))))
				.expectNextCount(1).expectComplete().verify(TIMEOUT);

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("get_current_weather({\"format\":\"celsius\",\"location\":\"Paris, FR\"})");
		assertThat(t.toMap()).containsEntry("prompt_tokens", 122L).containsEntry("eval_duration", 552222000L)
				.containsEntry("total_tokens", 155L);
		assertThat(Json.MAPPER.valueToTree(t.rawOutput()).at("/message/tool_calls/0/function/name").stringValue())
				.isEqualTo("get_current_weather");
	}
}
