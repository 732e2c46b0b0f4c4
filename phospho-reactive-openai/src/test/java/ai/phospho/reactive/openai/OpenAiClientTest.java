package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiClientTest {

	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient fx = PhosphoTestClient.create();
	final OpenAiClient client = OpenAiClient.builder()
			.baseUrl(server.baseUrl())
			.apiKey(Fixtures.API_KEY)
			.header("OpenAI-Organization", "org-test")
			.phospho(fx.client())
			.build();
	final ChatCompletionRequest request = ChatCompletionRequest.builder("gpt-4o-mini")
			.system("You are a helpful assistant.")
			.user("Explain quantum computers in less than 20 words.")
			.build();

	@AfterEach
	void close() {
		fx.close();
		server.close();
	}

	@Test
	void chatReturnsTheCompletionAndSendsTheRequestWithTheKeyAndHeaders() {
		server.enqueue(Recording.CHAT_COMPLETION);

		StepVerifier.create(client.chat(request.toBuilder().stream(true).build()))
				.assertNext(c -> {
					assertThat(c.text()).isEqualTo(ANSWER);
					assertThat(c.usage()).isNotNull();
					assertThat(c.usage().totalTokens()).isEqualTo(39L);
				})
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		MockOpenAiServer.RecordedRequest sent = server.requests().get(0);
		assertThat(sent.method()).isEqualTo("POST");
		assertThat(sent.uri()).isEqualTo("/v1/chat/completions");
		assertThat(sent.headers()).containsEntry("authorization", "Bearer " + Fixtures.API_KEY)
				.containsEntry("openai-organization", "org-test")
				.containsEntry("content-type", "application/json");
		JsonNode body = Json.MAPPER.readTree(sent.body());
		assertThat(body.has("stream")).as("a non-streamed call sends no stream flag").isFalse();
		assertThat(body.at("/messages/1/content").stringValue())
				.isEqualTo("Explain quantum computers in less than 20 words.");
	}

	@Test
	void chatIsLoggedWithInputOutputSystemPromptModelAndUsage() {
		server.enqueue(Recording.CHAT_COMPLETION);

		client.chat(request).block(Duration.ofSeconds(5));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.input()).isEqualTo("Explain quantum computers in less than 20 words.");
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo("You are a helpful assistant.");
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(List.of(t.promptTokens(), t.completionTokens(), t.totalTokens())).containsExactly(27L, 12L, 39L);
	}

	@Test
	void chatStreamDeliversEveryChunkThenCompletesAtDoneAndTheUsageChunkIsLast() {
		server.enqueue(Recording.CHAT_STREAM);

		StepVerifier.create(client.chatStream(request).map(ChatCompletionChunk::text).collectList())
				.assertNext(texts -> {
					assertThat(texts).hasSize(15);
					assertThat(String.join("", texts)).isEqualTo(ANSWER);
				})
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		JsonNode body = Json.MAPPER.readTree(server.requests().get(0).body());
		assertThat(body.get("stream").booleanValue()).isTrue();
		assertThat(body.at("/stream_options/include_usage").booleanValue()).isTrue();
		assertThat(server.requests().get(0).headers()).containsEntry("accept", "text/event-stream");
	}

	@Test
	void aStreamIsLoggedOnceAsCompletedWithTheAssembledTextAndTheTrailingUsage() {
		server.enqueue(Recording.CHAT_STREAM);

		client.chatStream(request).blockLast(Duration.ofSeconds(5));

		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).hasSize(1);
		LoggedTask t = tasks.get(0);
		assertThat(t.input()).isEqualTo("Explain quantum computers in less than 20 words.");
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo("You are a helpful assistant.");
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(List.of(t.promptTokens(), t.completionTokens(), t.totalTokens())).containsExactly(27L, 12L, 39L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 15L)
				.containsKeys("latency_ms", "time_to_first_chunk_ms");
	}

	@Test
	void aStreamWithoutAUsageChunkIsLoggedAsCompletedAtDone() {
		String chunk = Json.MAPPER.writeValueAsString(ChatCompletionChunk.ofText("llama3.2", "Hi!", "stop"));
		server.enqueue(ai.phospho.reactive.test.openai.Replay.of(200, "text/event-stream",
				"data: " + chunk + "\n\ndata: [DONE]\n\n"));

		StepVerifier.create(client.chatStream(request).map(ChatCompletionChunk::text))
				.expectNext("Hi!")
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("Hi!");
		assertThat(t.model()).isEqualTo("llama3.2");
		assertThat(t.totalTokens()).isNull();
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 1L);
	}

	@Test
	void toolCallFragmentsAreAssembledIntoTheLoggedRawOutput() {
		server.enqueue(Recording.CHAT_STREAM_TOOL_CALLS);

		StepVerifier.create(ChatStreamAssembler.assemble(client.chatStream(request)))
				.assertNext(c -> {
					ChatMessage m = c.choices().get(0).message();
					assertThat(c.choices().get(0).finishReason()).isEqualTo("tool_calls");
					assertThat(m.content()).isNull();
					assertThat(m.toolCalls()).containsExactly(
							ToolCall.function("call_Vx2pLq8RtY3kZb1mN4sW7dHf", "get_weather", "{\"location\": \"Paris, France\"}"),
							ToolCall.function("call_Q9wErT5yUi7oP1aS3dF6gH8j", "get_weather", "{\"location\": \"Tokyo, Japan\"}"));
					assertThat(c.usage()).isNotNull();
					assertThat(c.usage().totalTokens()).isEqualTo(131L);
				})
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("get_weather({\"location\": \"Paris, France\"})\n"
				+ "get_weather({\"location\": \"Tokyo, Japan\"})");
		assertThat(t.totalTokens()).isEqualTo(131L);
		JsonNode raw = Json.MAPPER.valueToTree(t.rawOutput());
		assertThat(raw.at("/choices/0/message/tool_calls/1/function/arguments").stringValue())
				.isEqualTo("{\"location\": \"Tokyo, Japan\"}");
	}

	@Test
	void a401BecomesAnOpenAiExceptionWithStatusMessageTypeAndCodeButNeverTheKey() {
		server.enqueue(Recording.ERROR_401);

		StepVerifier.create(client.chat(request))
				.expectErrorSatisfies(e -> {
					assertThat(e).isInstanceOf(OpenAiException.class);
					OpenAiException o = (OpenAiException) e;
					assertThat(o.status()).isEqualTo(401);
					assertThat(o.type()).isEqualTo("invalid_request_error");
					assertThat(o.code()).isEqualTo("invalid_api_key");
					assertThat(o.requestId()).startsWith("req_");
					assertThat(o.isRetryable()).isFalse();
					assertThat(o).hasMessageStartingWith("HTTP 401 (invalid_request_error, invalid_api_key): "
							+ "Incorrect API key provided: sk-test-*****");
					assertThat(o.getMessage()).doesNotContain(Fixtures.API_KEY);
				})
				.verify(Duration.ofSeconds(5));
		// Every call is a task, a failed one too: no output, and how it failed, without the key.
		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).hasSize(1);
		assertThat(tasks.get(0).input()).isEqualTo("Explain quantum computers in less than 20 words.");
		assertThat(tasks.get(0).output()).isNull();
		assertThat(tasks.get(0).metadata()).containsEntry("stream_status", "error");
		assertThat((String) tasks.get(0).metadata().get("error")).contains("HTTP 401").doesNotContain(Fixtures.API_KEY);
	}

	@Test
	void a429OnAStreamBecomesARetryableOpenAiException() {
		server.enqueue(Recording.ERROR_429);

		StepVerifier.create(client.chatStream(request))
				.expectErrorSatisfies(e -> {
					OpenAiException o = (OpenAiException) e;
					assertThat(o.status()).isEqualTo(429);
					assertThat(o.code()).isEqualTo("rate_limit_exceeded");
					assertThat(o.type()).isEqualTo("requests");
					assertThat(o.isRetryable()).isTrue();
					assertThat(o.midStream()).isFalse();
					assertThat(o.getMessage()).contains("Rate limit reached for gpt-4o-mini");
				})
				.verify(Duration.ofSeconds(5));
	}

	@Test
	void aServerThatEchoesTheKeyHasItBlankedOutOfTheException() {
		server.enqueue(ai.phospho.reactive.test.openai.Replay.of(400, "application/json",
				"{\"error\":{\"message\":\"bad key " + Fixtures.API_KEY + "\",\"type\":\"invalid_request_error\"}}"));

		StepVerifier.create(client.chat(request))
				.expectErrorSatisfies(e -> assertThat(e).hasMessage("HTTP 400 (invalid_request_error): bad key ***"))
				.verify(Duration.ofSeconds(5));
		assertThat(client.toString()).isEqualTo("OpenAiClient{baseUrl=" + server.baseUrl() + ", apiKey=set, phospho=true}");
	}

	@Test
	void anErrorEventMidStreamEndsTheStreamWithAnOpenAiExceptionAfterTheChunksBeforeIt() {
		server.enqueue(Recording.CHAT_STREAM_ERROR_MID_STREAM);

		StepVerifier.create(client.chatStream(request).map(ChatCompletionChunk::text))
				.expectNext("", "Qu", "bits")
				.expectErrorSatisfies(e -> {
					OpenAiException o = (OpenAiException) e;
					assertThat(o.midStream()).isTrue();
					assertThat(o.status()).isEqualTo(200);
					assertThat(o.type()).isEqualTo("server_error");
					assertThat(o).hasMessage("error event in the stream (status 200) (server_error): "
							+ "The server had an error while processing your request. Sorry about that!");
				})
				.verify(Duration.ofSeconds(5));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("Qubits");
		assertThat(t.metadata()).containsEntry("stream_status", "error").containsEntry("chunk_count", 3L)
				.containsEntry("error", "ai.phospho.reactive.openai.OpenAiException: error event in the stream "
						+ "(status 200) (server_error): The server had an error while processing your request. "
						+ "Sorry about that!");
	}

	@Test
	void aStreamTrickledOneByteAtATimeGivesTheSameChunks() {
		for (Recording r : List.of(Recording.CHAT_STREAM_TOOL_CALLS, Recording.CHAT_STREAM_CRLF_COMMENTS_MULTILINE)) {
			server.enqueue(r.replay().trickle(r == Recording.CHAT_STREAM_TOOL_CALLS ? Duration.ZERO : Duration.ofNanos(100_000)));
			server.enqueue(r);

			List<ChatCompletionChunk> trickled = client.chatStream(request).collectList().block(Duration.ofSeconds(10));
			List<ChatCompletionChunk> whole = client.chatStream(request).collectList().block(Duration.ofSeconds(5));

			assertThat(trickled).as(r.name()).hasSize(r == Recording.CHAT_STREAM_TOOL_CALLS ? 14 : 5).isEqualTo(whole);
		}
	}

	@Test
	void aSubscriberThatRequestsOneChunkStopsTheReadingOfTheSocket() throws InterruptedException {
		// 32 MiB of events: more than the loopback socket buffers and Netty's can hold together.
		String event = "data: " + Json.MAPPER.writeValueAsString(ChatCompletionChunk.ofText("m", "x".repeat(8000), null))
				+ "\n\n";
		int count = 32 * 1024 * 1024 / event.length();
		byte[] body = event.repeat(count).getBytes(java.nio.charset.StandardCharsets.UTF_8);
		server.enqueue(ai.phospho.reactive.test.openai.Replay.of(200, "text/event-stream", body)
				.perEvent(Duration.ZERO));

		StepVerifier.create(client.chatStream(request), 1)
				.expectNextCount(1)
				.then(() -> awaitStable(server::bytesWritten))
				.then(() -> assertThat(server.bytesWritten()).as("bytes written while one chunk was demanded")
						.isLessThan(body.length / 2))
				.thenCancel()
				.verify(Duration.ofSeconds(10));

		assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
		assertThat(fx.tasks().get(0).metadata()).containsEntry("stream_status", "cancelled");
	}

	/** Waits until a counter has not moved for 200 ms (at most 5 s). */
	private static void awaitStable(java.util.function.LongSupplier counter) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		long last = -1;
		int still = 0;
		while (still < 4 && System.nanoTime() < deadline) {
			long now = counter.getAsLong();
			still = now == last ? still + 1 : 0;
			last = now;
			java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
		}
	}

	@Test
	void crlfCommentsMultiLineDataAndEventFieldsAreParsed() {
		server.enqueue(Recording.CHAT_STREAM_CRLF_COMMENTS_MULTILINE);

		StepVerifier.create(client.chatStream(request).map(ChatCompletionChunk::text))
				.expectNext("", "Hello", " world", "", "")
				.expectComplete()
				.verify(Duration.ofSeconds(5));
	}

	@Test
	void aClientThatCancelsAfterThreeChunksClosesTheConnectionAndIsLoggedAsCancelledWithThePartialText()
			throws InterruptedException {
		server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(30)));

		StepVerifier.create(client.chatStream(request).map(ChatCompletionChunk::text).take(3))
				.expectNext("", "Qu", "bits")
				.expectComplete()
				.verify(Duration.ofSeconds(5));

		assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).as("the server saw the connection closed").isTrue();
		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("Qubits");
		assertThat(t.input()).isEqualTo("Explain quantum computers in less than 20 words.");
		assertThat(t.metadata()).containsEntry("stream_status", "cancelled").containsEntry("chunk_count", 3L);
	}

	@Test
	void aStreamReadToItsEndIsNotSeenAsAnAbortByTheServer() throws InterruptedException {
		server.enqueue(Recording.CHAT_STREAM);

		client.chatStream(request).blockLast(Duration.ofSeconds(5));

		assertThat(server.awaitClientAbort(Duration.ofMillis(200))).isFalse();
		assertThat(server.clientAborts()).isZero();
	}

	@Test
	void aServerSilentForLongerThanTheResponseTimeoutFailsTheCallWithATimeoutException() {
		server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofSeconds(5)));
		OpenAiClient impatient = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey(Fixtures.API_KEY)
				.responseTimeout(Duration.ofMillis(200)).build();

		StepVerifier.create(impatient.chatStream(request))
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(java.util.concurrent.TimeoutException.class)
						.hasMessage("no bytes from " + server.baseUrl() + "/chat/completions for PT0.2S (responseTimeout)"))
				.verify(Duration.ofSeconds(5));
	}

	@Test
	void builderRefusesABaseUrlThatIsNotHttpNamingIt() {
		assertThatThrownBy(() -> OpenAiClient.builder().baseUrl("localhost:11434/v1").build())
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("baseUrl must be an http or https URL, was 'localhost:11434/v1'");
		assertThatThrownBy(() -> OpenAiClient.builder().responseTimeout(Duration.ZERO).build())
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("responseTimeout must be strictly positive, was PT0S");
	}
}
