package ai.phospho.reactive.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.MockOpenAiServer.RecordedRequest;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.Test;

import static ai.phospho.reactive.examples.ExamplesTest.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/** The environment variables send the LLM calls to real servers, and then nothing is replayed. */
class LlmTest {

	@Test
	void baseUrlsKeyAndModelsFromTheEnvironmentAreUsedAndNothingIsReplayed() throws Exception {
		try (MockOpenAiServer server = MockOpenAiServer.start()) {
			// This server plays the real OpenAI and Ollama: it has the answers queued before the examples run.
			server.enqueue(Recording.CHAT_COMPLETION).enqueue(Recording.OLLAMA_GENERATE_STREAM);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			Map<String, String> env = Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "sk-env-7f3a",
					"OPENAI_MODEL", "gpt-from-env", "OLLAMA_BASE_URL", server.rootUrl(), "OLLAMA_MODEL", "llama-env");
			InMemoryTaskExporter memory = new InMemoryTaskExporter();
			try (Llm llm = Llm.of(env, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
				assertThat(llm.replaysAnything()).isFalse();
				Examples.Session session = Examples.initPhospho(PhosphoOptions.builder().exporter(memory)
						.lingerDelay(Duration.ofMillis(5)));
				List<LoggedTask> chat = Examples.run(new OpenAiQuery(), llm, session);
				List<LoggedTask> ollama = Examples.run(new OllamaStreaming(), llm, session);
				session.client().shutdown().block(Duration.ofSeconds(5));
				assertThat(chat).extracting(LoggedTask::output).containsExactly(ANSWER);
				assertThat(ollama).extracting(LoggedTask::output).containsExactly(ANSWER);
			}
			assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("LLM calls: OpenAI-compatible API at "
					+ server.baseUrl() + ", Ollama at " + server.rootUrl() + System.lineSeparator());
			List<RecordedRequest> requests = server.requests();
			assertThat(requests).hasSize(2);
			assertThat(requests.get(0).uri()).isEqualTo("/v1/chat/completions");
			assertThat(requests.get(0).headers()).containsEntry("authorization", "Bearer sk-env-7f3a");
			assertThat(requests.get(0).body()).contains("\"model\":\"gpt-from-env\"");
			assertThat(requests.get(1).uri()).isEqualTo("/api/generate");
			assertThat(requests.get(1).body()).contains("\"model\":\"llama-env\"");
		}
	}

	@Test
	void onlyTheBackendWithoutVariablesIsReplayed() throws Exception {
		try (MockOpenAiServer server = MockOpenAiServer.start()) {
			server.enqueue(Recording.CHAT_COMPLETION);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			InMemoryTaskExporter memory = new InMemoryTaskExporter();
			try (Llm llm = Llm.of(Map.of("OPENAI_BASE_URL", server.baseUrl()),
					new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
				assertThat(llm.replaysAnything()).isTrue();
				Examples.Session session = Examples.initPhospho(PhosphoOptions.builder().exporter(memory)
						.lingerDelay(Duration.ofMillis(5)));
				assertThat(Examples.run(new OpenAiQuery(), llm, session)).extracting(LoggedTask::output)
						.containsExactly(ANSWER);
				assertThat(Examples.run(new OllamaStreaming(), llm, session)).extracting(LoggedTask::output)
						.containsExactly(ANSWER);
				session.client().shutdown().block(Duration.ofSeconds(5));
			}
			assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("LLM calls: OpenAI-compatible API at "
					+ server.baseUrl() + ", Ollama at http://127.0.0.1:").contains("(local replay server)");
			assertThat(server.requests()).extracting(RecordedRequest::uri).containsExactly("/v1/chat/completions");
		}
	}
}
