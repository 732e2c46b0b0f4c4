package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference document's OpenAI, message-list, streaming and Ollama examples, written as a Java
 * user would, with the outputs the document shows.
 */
class ReferenceExamplesTest {

	static final String PROMPT = "Explain quantum computers in less than 20 words.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";
	static final String SYSTEM = "You are a helpful assistant.";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient fx = PhosphoTestClient.create();
	final OpenAiClient openaiClient = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("openai-key").build();

	@AfterEach
	void close() {
		fx.close();
		server.close();
	}

	@Test
	void logOpenAiQueriesAndResponsesFromAMapQueryAndATypedCompletion() {
		server.enqueue(Recording.CHAT_COMPLETION);
		Map<String, Object> query = Map.of(
				"messages", List.of(Map.of("role", "system", "content", SYSTEM), Map.of("role", "user", "content", PROMPT)),
				"model", "gpt-4o-mini");
		ChatCompletion response = openaiClient.chat(ChatCompletionRequest.of("gpt-4o-mini",
				List.of(ChatMessage.system(SYSTEM), ChatMessage.user(PROMPT)))).block(Duration.ofSeconds(5));

		LoggedTask log = fx.client().log(query, response);

		assertThat(log.input()).isEqualTo(PROMPT);
		assertThat(log.output()).isEqualTo(ANSWER);
		assertThat(fx.tasks()).extracting(LoggedTask::output).containsExactly(ANSWER);
	}

	@Test
	void logOpenAiQueriesAndResponsesFromATypedQuery() {
		server.enqueue(Recording.CHAT_COMPLETION);
		ChatCompletionRequest query = ChatCompletionRequest.builder("gpt-4o-mini").system(SYSTEM).user(PROMPT).build();
		ChatCompletion response = openaiClient.chat(query).block(Duration.ofSeconds(5));

		LoggedTask log = fx.client().log(query, response);

		assertThat(log.input()).isEqualTo(PROMPT);
		assertThat(log.output()).isEqualTo(ANSWER);
		assertThat(log.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(log.model()).isEqualTo("gpt-4o-mini-2024-07-18");
	}

	@Test
	void logAListOfOpenAiMessages() {
		server.enqueue(Recording.CHAT_COMPLETION);
		List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.system(SYSTEM), ChatMessage.user(PROMPT)));
		ChatCompletion response = openaiClient.chat(ChatCompletionRequest.of("gpt-4o-mini", messages))
				.block(Duration.ofSeconds(5));
		messages.add(response.choices().get(0).message());

		LoggedTask log = fx.client().log(messages, messages);

		assertThat(log.input()).isEqualTo(PROMPT);
		assertThat(log.output()).isEqualTo(ANSWER);
		assertThat(log.systemPrompt()).isEqualTo(SYSTEM);
	}

	@Test
	void consecutiveUserMessagesAreConcatenatedWithANewline() {
		List<ChatMessage> messages = List.of(ChatMessage.system(SYSTEM), ChatMessage.user(PROMPT),
				ChatMessage.user("What is the speed of light?"));

		LoggedTask log = fx.client().log(messages, null);

		assertThat(log.input()).isEqualTo(PROMPT + "\nWhat is the speed of light?");
	}

	@Test
	void openAiStreamingIsLoggedWhenTheStreamEnds() {
		server.enqueue(Recording.CHAT_STREAM);
		OpenAiClient openai = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("openai-key")
				.phospho(fx.client()).build();
		ChatCompletionRequest query = ChatCompletionRequest.builder("gpt-4o-mini").system(SYSTEM).user(PROMPT)
				.stream(true).build();

		Flux<ChatCompletionChunk> response = openai.chatStream(query);

		StepVerifier.create(response.map(ChatCompletionChunk::text).reduce(String::concat))
				.expectNext(ANSWER)
				.expectComplete()
				.verify(Duration.ofSeconds(5));
		LoggedTask log = fx.tasks().get(0);
		assertThat(log.input()).isEqualTo(PROMPT);
		assertThat(log.output()).isEqualTo(ANSWER);
		assertThat(log.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(log.completionTokens()).isEqualTo(12L);
	}

	@Test
	void localOllamaStreamingStopsAtDoneAndIsLogged() {
		// A server that sends more after the done line: the stop rule ends the stream there.
		byte[] recorded = Recording.OLLAMA_GENERATE_STREAM.body();
		byte[] body = (new String(recorded, java.nio.charset.StandardCharsets.UTF_8)
				+ "{\"model\":\"mistral-7b\",\"response\":\"after done\",\"done\":false}\n")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		server.enqueue(ai.phospho.reactive.test.openai.Replay.of(200, "application/x-ndjson", body));
		OllamaClient ollama = OllamaClient.builder().baseUrl(server.rootUrl()).phospho(fx.client()).build();
		String prompt = PROMPT;

		Flux<OllamaGenerateResponse> responseIterator = ollama.generateStream(
				OllamaGenerateRequest.builder("mistral-7b", prompt).context(List.of()).build());

		StepVerifier.create(responseIterator.map(OllamaGenerateResponse::text))
				.expectNext("Qu", "bits", " harness", " quantum", " physics", " for", " faster", ",", " more",
						" powerful", " computation", ".", "")
				.expectComplete()
				.verify(Duration.ofSeconds(5));
		LoggedTask log = fx.tasks().get(0);
		assertThat(log.input()).isEqualTo(prompt);
		assertThat(log.output()).isEqualTo(ANSWER);
		assertThat(log.model()).isEqualTo("mistral-7b");
		assertThat(List.of(log.promptTokens(), log.completionTokens(), log.totalTokens())).containsExactly(14L, 12L, 26L);
		assertThat(log.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 13L);
		assertThat(server.requests().get(0).uri()).isEqualTo("/api/generate");
		assertThat(server.requests().get(0).body()).isEqualTo("{\"model\":\"mistral-7b\",\"prompt\":\"" + prompt
				+ "\",\"context\":[],\"stream\":true}");
	}
}
