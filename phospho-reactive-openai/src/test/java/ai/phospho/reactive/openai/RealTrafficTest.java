package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.openai.Corpus.Sample;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import ai.phospho.reactive.test.openai.Replay;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real-traffic recording through every way of logging a stream, the body cut into pieces of
 * 1 to 64 bytes: each chunk reaches the subscriber unchanged and in order, and exactly one task is
 * logged with the right input, output, model, usage, status, chunk count and raw output, without
 * the API key.
 */
class RealTrafficTest {

	static final String PROMPT = "Explain quantum computers in less than 20 words.";
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient fx = PhosphoTestClient.create();

	@AfterEach
	void close() {
		fx.close();
		server.close();
	}

	static Replay cut(Sample s) {
		return s.recording().replay().inPieces(s.recording().name().hashCode());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#openAi")
	void openAiClientDeliversEveryChunkAndLogsOneTask(Sample s) {
		server.enqueue(cut(s));
		OpenAiClient client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey(Fixtures.API_KEY)
				.phospho(fx.client()).build();
		List<ChatCompletionChunk> expected = new ArrayList<>();
		for (String json : s.wireChunks()) {
			expected.add(Json.MAPPER.readValue(json, ChatCompletionChunk.class));
		}
		List<ChatCompletionChunk> got = new ArrayList<>();

		end(StepVerifier.create(client.chatStream(ChatCompletionRequest.builder("gpt-4o-mini").system("Be brief.")
						.user(PROMPT).build()))
				.thenConsumeWhile(got::add), s)
				.verify(TIMEOUT);

		assertThat(got).isEqualTo(expected);
		List<LoggedTask> tasks = fx.tasks();
		Corpus.assertTask(s, tasks, PROMPT, Fixtures.API_KEY);
		if (!expected.isEmpty()) {
			assertRawCompletionKeepsEveryField(s, tasks.get(0).rawOutput());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#openAi")
	void theOfficialSdkThroughItsAdapterDeliversEveryChunkAndLogsOneTask(Sample s) {
		server.enqueue(cut(s));
		OpenAIClientAsync sdk = OpenAIOkHttpClientAsync.builder().baseUrl(server.baseUrl()).apiKey(Fixtures.API_KEY)
				.maxRetries(0).build();
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
				.addSystemMessage("Be brief.").addUserMessage(PROMPT).build();
		List<String> got = new ArrayList<>();
		try {
			end(StepVerifier.create(OpenAiSdk.flux(() -> sdk.chat().completions().createStreaming(params))
							.transform(fx.client().logStream(params)))
					.thenConsumeWhile(c -> got.add(sdkJson(c))), s)
					.verify(TIMEOUT);
		}
		finally {
			sdk.close();
		}

		assertThat(trees(got)).isEqualTo(trees(s.wireChunks()));
		List<LoggedTask> tasks = fx.tasks();
		Corpus.assertTask(s, tasks, PROMPT, Fixtures.API_KEY);
		assertRawChunks(s, tasks.get(0));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#all")
	void aFluxOfMapsDeliversEveryChunkAndLogsOneTask(Sample s) {
		List<Map<String, Object>> maps = s.maps();
		Flux<Map<String, Object>> source = Flux.fromIterable(maps);
		if (s.error()) {
			source = source.concatWith(Flux.error(new IllegalStateException("the provider failed")));
		}
		Map<String, Object> request = s.ollama()
				? Map.of("model", "llama3.2", "messages", List.of(Map.of("role", "user", "content", PROMPT)))
				: Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "system", "content", "Be brief."),
						Map.of("role", "user", "content", PROMPT)));
		List<Map<String, Object>> got = new ArrayList<>();

		end(StepVerifier.create(source.transform(fx.client().logStream(request))).thenConsumeWhile(got::add), s)
				.verify(TIMEOUT);

		assertThat(got).containsExactlyElementsOf(maps);
		List<LoggedTask> tasks = fx.tasks();
		Corpus.assertTask(s, tasks, PROMPT, Fixtures.API_KEY);
		assertRawChunks(s, tasks.get(0));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#ollama")
	void ollamaClientDeliversEveryChunkAndLogsOneTask(Sample s) {
		server.enqueue(cut(s));
		OllamaClient ollama = OllamaClient.builder().baseUrl(server.rootUrl()).phospho(fx.client()).build();
		List<Object> expected = new ArrayList<>();
		List<Object> got = new ArrayList<>();
		Flux<?> chunks;
		if (s.recording() == Recording.OLLAMA_GENERATE_COUNTS) {
			for (String json : s.wireChunks()) {
				expected.add(Json.MAPPER.readValue(json, OllamaGenerateResponse.class));
			}
			chunks = ollama.generateStream(OllamaGenerateRequest.builder("llama3.2", PROMPT).build());
		}
		else {
			for (String json : s.wireChunks()) {
				expected.add(Json.MAPPER.readValue(json, OllamaChatResponse.class));
			}
			chunks = ollama.chatStream(OllamaChatRequest.of("llama3.2", List.of(OllamaMessage.user(PROMPT))));
		}

		StepVerifier.create(chunks).thenConsumeWhile(got::add).expectComplete().verify(TIMEOUT);

		assertThat(got).isEqualTo(expected);
		List<LoggedTask> tasks = fx.tasks();
		Corpus.assertTask(s, tasks, PROMPT, "no key");
		// The raw output is the whole reply: the done line's counts, the message's tool calls.
		JsonNode raw = Json.MAPPER.valueToTree(tasks.get(0).rawOutput());
		JsonNode last = Json.MAPPER.readTree(s.wireChunks().get(s.wireChunks().size() - 1));
		last.properties().forEach(e -> assertThat(raw.has(e.getKey())).as(e.getKey()).isTrue());
		if (s.recording() == Recording.OLLAMA_CHAT_TOOL_CALLS) {
			assertThat(raw.at("/message/tool_calls/0/function/arguments/location").stringValue()).isEqualTo("Paris, FR");
		}
	}

	/** The raw output of a stream without a collector: every chunk, every field. */
	private static void assertRawChunks(Sample s, LoggedTask t) {
		List<String> wire = s.wireChunks();
		if (wire.isEmpty()) {
			assertThat(t.rawOutput()).isNull();
			return;
		}
		assertThat(trees(List.of(Json.MAPPER.writeValueAsString(t.rawOutput())))).containsExactly(
				Json.MAPPER.readTree("[" + String.join(",", wire) + "]"));
	}

	/**
	 * The assembled completion keeps every field of every chunk: the top-level ones, every choice by
	 * its index, and every field of each choice.
	 */
	private static void assertRawCompletionKeepsEveryField(Sample s, Object rawOutput) {
		JsonNode raw = Json.MAPPER.valueToTree(rawOutput);
		for (String json : s.wireChunks()) {
			JsonNode chunk = Json.MAPPER.readTree(json);
			chunk.properties().forEach(e -> {
				if (!e.getValue().isNull() && !e.getKey().equals("object")) {
					assertThat(raw.has(e.getKey())).as("%s: %s", s, e.getKey()).isTrue();
				}
			});
			for (JsonNode choice : chunk.path("choices")) {
				JsonNode assembled = null;
				for (JsonNode c : raw.path("choices")) {
					if (c.path("index").asInt() == choice.path("index").asInt()) {
						assembled = c;
					}
				}
				assertThat(assembled).as("%s: choice %s", s, choice.path("index")).isNotNull();
				JsonNode a = assembled;
				choice.properties().forEach(e -> {
					if (!e.getValue().isNull() && !e.getKey().equals("delta") && !e.getKey().equals("message")) {
						assertThat(a.has(e.getKey())).as("%s: choice field %s", s, e.getKey()).isTrue();
					}
				});
			}
		}
	}

	private static String sdkJson(Object sdkValue) {
		try {
			return ObjectMappers.jsonMapper().writeValueAsString(sdkValue);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException e) {
			throw new AssertionError(e);
		}
	}

	/** The stream ends as the sample does: an error object or reply fails it. */
	private static <T> StepVerifier end(StepVerifier.Step<T> step, Sample s) {
		return s.error() ? step.expectError() : step.expectComplete();
	}

	private static List<JsonNode> trees(List<String> json) {
		List<JsonNode> out = new ArrayList<>();
		for (String j : json) {
			out.add(Json.MAPPER.readTree(j));
		}
		return out;
	}
}
