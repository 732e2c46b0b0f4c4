package ai.phospho.reactive.examples.webflux;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.examples.webflux.ChatHandler.ChatDelta;
import ai.phospho.reactive.examples.webflux.ChatHandler.ChatRequest;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running application on a random port, its OpenAI calls answered by the replay server and its
 * tasks exported to memory: each request is one task in the session of its header, and a client
 * that leaves mid-stream leaves a cancelled task with the text streamed so far.
 */
class ChatApplicationTest {

	private static final String QUESTION = "Explain quantum computers in less than 20 words.";
	private static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";
	private static final ParameterizedTypeReference<ServerSentEvent<ChatDelta>> EVENTS =
			new ParameterizedTypeReference<>() {
			};

	private static final InMemoryTaskExporter memory = new InMemoryTaskExporter();
	private static MockOpenAiServer openAi;
	private static ConfigurableApplicationContext context;
	private static WebTestClient web;

	@BeforeAll
	static void startApplication() {
		openAi = MockOpenAiServer.start();
		context = new SpringApplicationBuilder(ChatApplication.class)
				.web(WebApplicationType.REACTIVE)
				// The starter uses an application TaskExporter bean instead of its default one.
				.initializers(c -> c.getBeanFactory().registerSingleton("testTaskExporter", memory))
				.properties("server.port=0", "server.address=127.0.0.1",
						"examples.openai.base-url=" + openAi.baseUrl(), "examples.openai.api-key=sk-test",
						"phospho.linger-delay=10ms", "phospho.shutdown-timeout=5s",
						"spring.reactor.netty.shutdown-quiet-period=0s", "spring.main.banner-mode=off")
				.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(Duration.ofSeconds(10)).build();
	}

	@AfterAll
	static void stopApplication() {
		if (context != null) {
			context.close();
		}
		if (openAi != null) {
			openAi.close();
		}
	}

	@BeforeEach
	void forgetEarlierTasks() {
		phospho().flush().block(Duration.ofSeconds(5));
		memory.clear();
	}

	@Test
	void aFullStreamIsOneTaskWithTheWholeAnswerInTheSessionOfTheHeader() {
		openAi.enqueue(Recording.CHAT_STREAM);

		List<String> texts = web.post().uri("/chat")
				.header(ChatHandler.SESSION_HEADER, "session-full-7")
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.bodyValue(new ChatRequest(QUESTION))
				.exchange()
				.expectStatus().isOk()
				.returnResult(EVENTS).getResponseBody()
				.map(e -> e.data().text())
				.collectList().block(Duration.ofSeconds(10));

		assertThat(String.join("", texts)).isEqualTo(ANSWER);
		LoggedTask task = awaitOneTask();
		assertThat(task.sessionId()).isEqualTo("session-full-7");
		assertThat(task.input()).isEqualTo(QUESTION);
		assertThat(task.output()).isEqualTo(ANSWER);
		assertThat(task.systemPrompt()).isEqualTo(ChatHandler.SYSTEM_PROMPT);
		// Logged at the usage chunk, OpenAI's last message, before [DONE] completes the stream: a normal end.
		assertThat(task.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 15L);
		assertThat(openAi.requests()).last().satisfies(r -> assertThat(r.body()).contains("\"stream\":true"));
	}

	@Test
	void aClientThatLeavesAfterTwoEventsLeavesACancelledTaskWithThePartialText() throws InterruptedException {
		// One event every 150 ms: the whole answer would take about 2.4 s; the client leaves after the third.
		openAi.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(150)));

		Flux<ServerSentEvent<ChatDelta>> events = web.post().uri("/chat")
				.header(ChatHandler.SESSION_HEADER, "session-gone-3")
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.bodyValue(new ChatRequest(QUESTION))
				.exchange()
				.expectStatus().isOk()
				.returnResult(EVENTS).getResponseBody();
		List<String> received = events.take(2).map(e -> e.data().text()).collectList().block(Duration.ofSeconds(10));
		assertThat(received).containsExactly("Qu", "bits");

		// The cancel reaches the OpenAI call: the application closes its connection to the LLM.
		assertThat(openAi.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
		LoggedTask task = awaitOneTask();
		assertThat(task.sessionId()).isEqualTo("session-gone-3");
		assertThat(task.metadata()).containsEntry("stream_status", "cancelled");
		assertThat(task.input()).isEqualTo(QUESTION);
		assertThat(task.output()).startsWith("Qubits").isNotEqualTo(ANSWER);
		assertThat(ANSWER).startsWith(task.output());
	}

	private static PhosphoClient phospho() {
		return context.getBean(PhosphoClient.class);
	}

	/** Flushes until the one task of the test is exported; at most 5 seconds. */
	private static LoggedTask awaitOneTask() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (memory.tasks().isEmpty() && System.nanoTime() < deadline) {
			phospho().flush().block(Duration.ofSeconds(5));
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		assertThat(memory.tasks()).hasSize(1);
		return memory.tasks().get(0);
	}
}
