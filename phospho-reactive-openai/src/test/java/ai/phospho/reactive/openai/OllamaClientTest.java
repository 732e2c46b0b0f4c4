package ai.phospho.reactive.openai;

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

class OllamaClientTest {

	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient fx = PhosphoTestClient.create();
	final OllamaClient ollama = OllamaClient.builder().baseUrl(server.rootUrl()).phospho(fx.client()).build();
	final OllamaChatRequest request = OllamaChatRequest.of("llama3.2",
			List.of(OllamaMessage.system("You are a helpful assistant."),
					OllamaMessage.user("Explain quantum computers in less than 20 words.")));

	@AfterEach
	void close() {
		fx.close();
		server.close();
	}

	@Test
	void chatStreamSplitsLinesCutAcrossReadsAndIsLoggedWithTheWholeMessage() {
		server.enqueue(Recording.OLLAMA_CHAT_STREAM.replay().trickle(Duration.ZERO));

		StepVerifier.create(ollama.chatStream(request).map(OllamaChatResponse::text).reduce(String::concat))
				.expectNext(ANSWER)
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		assertThat(server.requests().get(0).uri()).isEqualTo("/api/chat");
		assertThat(Json.MAPPER.readTree(server.requests().get(0).body()).get("stream").booleanValue()).isTrue();
		LoggedTask t = fx.tasks().get(0);
		assertThat(t.input()).isEqualTo("Explain quantum computers in less than 20 words.");
		assertThat(t.systemPrompt()).isEqualTo("You are a helpful assistant.");
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.model()).isEqualTo("llama3.2");
		assertThat(t.totalTokens()).isEqualTo(38L);
	}

	@Test
	void chatWithoutStreamingSendsStreamFalseAndLogsTheReply() {
		server.enqueue(Replay.of(200, "application/json", "{\"model\":\"llama3.2\",\"created_at\":"
				+ "\"2024-12-02T15:20:01Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Qubits.\"},"
				+ "\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":26,\"eval_count\":3}"));

		StepVerifier.create(ollama.chat(request).map(OllamaChatResponse::text))
				.expectNext("Qubits.")
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		assertThat(Json.MAPPER.readTree(server.requests().get(0).body()).get("stream").booleanValue()).isFalse();
		assertThat(fx.tasks()).extracting(LoggedTask::output).containsExactly("Qubits.");
	}

	@Test
	void generateWithoutStreamingReturnsTheWholeReply() {
		String last = new String(Recording.OLLAMA_GENERATE_STREAM.body()).lines().reduce((a, b) -> b).orElseThrow();
		server.enqueue(Replay.of(200, "application/json", last.replace("\"response\":\"\"", "\"response\":\"" + ANSWER + "\"")));

		StepVerifier.create(ollama.generate(OllamaGenerateRequest.builder("mistral-7b", "Explain").build()))
				.assertNext(r -> {
					assertThat(r.text()).isEqualTo(ANSWER);
					assertThat(r.finished()).isTrue();
				})
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		assertThat(server.requests().get(0).body()).isEqualTo("{\"model\":\"mistral-7b\",\"prompt\":\"Explain\",\"stream\":false}");
		assertThat(fx.tasks()).singleElement().satisfies(t -> {
			assertThat(t.input()).isEqualTo("Explain");
			assertThat(t.output()).isEqualTo(ANSWER);
			assertThat(t.totalTokens()).isEqualTo(26L);
		});
	}

	@Test
	void aModelThatIsNotPulledIsAnOpenAiExceptionWithOllamasMessage() {
		server.enqueue(Recording.OLLAMA_ERROR_404);

		StepVerifier.create(ollama.generateStream(OllamaGenerateRequest.builder("mistral-7b", "Hi").build()))
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OpenAiException.class)
						.hasMessage("HTTP 404: model \"mistral-7b\" not found, try pulling it first"))
				.verify(Duration.ofSeconds(5));
	}

	@Test
	void anErrorLineMidStreamEndsTheStreamAndTheTaskIsLoggedAsError() {
		server.enqueue(Replay.of(200, "application/x-ndjson", "{\"model\":\"llama3.2\",\"message\":{\"role\":"
				+ "\"assistant\",\"content\":\"Qu\"},\"done\":false}\n{\"error\":\"an error was encountered while "
				+ "running the model: unexpected EOF\"}\n"));

		StepVerifier.create(ollama.chatStream(request).map(OllamaChatResponse::text))
				.expectNext("Qu")
				.expectErrorSatisfies(e -> assertThat(((OpenAiException) e).midStream()).isTrue())
				.verify(Duration.ofSeconds(5));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("Qu");
		assertThat(t.metadata()).containsEntry("stream_status", "error");
	}
}
