package ai.phospho.reactive.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.openai.Recording;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-traffic recordings and the task each must give, whatever the client: output, model,
 * usage, status and chunk count. The chunks are the body's events (or NDJSON lines) read as JSON.
 */
final class Corpus {

	/**
	 * @param chunks the chunks a client delivers: the events before {@code [DONE]} or an error object
	 * @param error  whether the stream ends with an error (an error object mid-stream, an error reply)
	 */
	record Sample(Recording recording, @Nullable String output, @Nullable String model, @Nullable List<Long> tokens,
			String status, long chunks, boolean error) {

		boolean ollama() {
			return recording.contentType().startsWith("application/x-ndjson");
		}

		/** The body's chunks as JSON text, in order. */
		List<String> wireChunks() {
			String body = new String(recording.body(), StandardCharsets.UTF_8);
			List<String> out = new ArrayList<>();
			if (ollama()) {
				body.lines().filter(l -> !l.isBlank()).forEach(out::add);
				return out;
			}
			if (recording.status() != 200) {
				return out;
			}
			SseParser parser = new SseParser();
			List<SseParser.Event> events = new ArrayList<>(parser.feed(recording.body()));
			events.addAll(parser.finish());
			for (SseParser.Event e : events) {
				String data = e.data().strip();
				if (data.equals("[DONE]") || data.startsWith("{\"error\"")) {
					break;
				}
				out.add(e.data());
			}
			return out;
		}

		/** The chunks as maps, as a user's own client would read them. */
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> maps() {
			List<Map<String, Object>> out = new ArrayList<>();
			for (String json : wireChunks()) {
				out.add(Json.MAPPER.readValue(json, Map.class));
			}
			return out;
		}

		@Override
		public String toString() {
			return recording.name();
		}
	}

	static final String WEATHER = "I'm unable to provide real-time weather updates. To get the current weather in "
			+ "San Francisco, I recommend checking a reliable weather website or a weather app.";
	static final String GPT_4O = "gpt-4o-2024-08-06";

	private Corpus() {
	}

	static Stream<Sample> openAi() {
		return Stream.of(
				new Sample(Recording.OPENAI_TEXT_USAGE, WEATHER, GPT_4O, List.of(14L, 30L, 44L), "completed", 33, false),
				new Sample(Recording.OPENAI_PARALLEL_TOOL_CALLS,
						"GetWeatherArgs({\"city\": \"Edinburgh\", \"country\": \"GB\", \"units\": \"c\"})\n"
								+ "get_stock_price({\"ticker\": \"AAPL\", \"exchange\": \"NASDAQ\"})",
						GPT_4O, List.of(149L, 60L, 209L), "completed", 25, false),
				new Sample(Recording.OPENAI_REFUSAL, "I'm sorry, I can't assist with that request.", GPT_4O,
						List.of(79L, 11L, 90L), "completed", 13, false),
				new Sample(Recording.OPENAI_LOGPROBS, "Foo!", GPT_4O, List.of(9L, 2L, 11L), "completed", 5, false),
				new Sample(Recording.OPENAI_N3, "{\"city\":\"San Francisco\",\"temperature\":65,\"units\":\"f\"}", GPT_4O,
						List.of(79L, 42L, 121L), "completed", 49, false),
				new Sample(Recording.AZURE_PROMPT_FILTER, "Quantum computers use qubits ⚛️ — très.", GPT_4O,
						List.of(20L, 5L, 25L), "completed", 9, false),
				new Sample(Recording.AZURE_ASYNC_FILTER, "Color is a", "gpt-35-turbo", null, "completed", 8, false),
				new Sample(Recording.USAGE_EVERY_CHUNK, "Quantum computers use qubits.", "sonar", List.of(9L, 5L, 14L),
						"completed", 5, false),
				new Sample(Recording.SSE_COMMENTS_CRLF, "I'm unable to", GPT_4O, List.of(14L, 30L, 44L), "completed", 6,
						false),
				new Sample(Recording.CHAT_STREAM_ERROR_MID_STREAM, "Qubits", "gpt-4o-mini-2024-07-18", null, "error", 3,
						true),
				new Sample(Recording.ERROR_401, null, "gpt-4o-mini", null, "error", 0, true));
	}

	static Stream<Sample> ollama() {
		return Stream.of(
				new Sample(Recording.OLLAMA_CHAT_TOOL_CALLS,
						"get_current_weather({\"format\":\"celsius\",\"location\":\"Paris, FR\"})", "llama3.2",
						List.of(122L, 33L, 155L), "completed", 2, false),
				new Sample(Recording.OLLAMA_GENERATE_COUNTS, "The", "llama3.2", List.of(26L, 259L, 285L), "completed", 2,
						false));
	}

	static Stream<Sample> all() {
		return Stream.concat(openAi(), ollama());
	}

	/** What every client's task must say for this sample. */
	static void assertTask(Sample s, List<LoggedTask> tasks, String input, String apiKey) {
		assertThat(tasks).as("exactly one task").hasSize(1);
		LoggedTask t = tasks.get(0);
		assertThat(t.input()).isEqualTo(input);
		assertThat(t.output()).isEqualTo(s.output());
		assertThat(t.model()).isEqualTo(s.model());
		if (s.tokens() == null) {
			assertThat(t.usage()).isEmpty();
		}
		else {
			assertThat(List.of(t.promptTokens(), t.completionTokens(), t.totalTokens())).isEqualTo(s.tokens());
			assertThat(t.toMap()).containsEntry("prompt_tokens", s.tokens().get(0));
		}
		assertThat(t.metadata()).containsEntry("stream_status", s.status()).containsEntry("chunk_count", s.chunks());
		assertThat(Json.MAPPER.writeValueAsString(t.toMap())).as("the key nowhere").doesNotContain(apiKey);
		if (s.error()) {
			assertThat(t.metadata()).containsKey("error");
		}
		if (s.tokens() != null && !s.ollama() && s.recording() != Recording.USAGE_EVERY_CHUNK) {
			JsonNode details = Json.MAPPER.valueToTree(t.toMap()).get("completion_tokens_details");
			assertThat(details).as("the usage details are sent").isNotNull();
		}
	}
}
