package ai.phospho.reactive.langchain4j;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.openai.Recording;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class PhosphoStreamingChatModelTest {

	static final String QUESTION = "Explain quantum computers in less than 20 words.";
	static final String SYSTEM = "You are a helpful assistant.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final LangChain4jFixture fx = new LangChain4jFixture();
	final ChatRequest request = ChatRequest.builder()
		.messages(SystemMessage.from(SYSTEM), UserMessage.from(QUESTION))
		.build();

	@AfterEach
	void close() {
		fx.close();
	}

	@Test
	void aFullStreamIsOneCompletedTaskWithTheWholeTextModelUsageAndTimeToFirstChunk() throws Exception {
		fx.server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(2)));
		Collector handler = new Collector(Integer.MAX_VALUE);

		fx.streamingModel.chat(request, handler);

		ChatResponse response = handler.done.get(10, TimeUnit.SECONDS);
		assertThat(String.join("", handler.parts)).isEqualTo(ANSWER);
		assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).as("the listener on the wrapped model skips the streamed call").hasSize(1);
		LoggedTask t = tasks.get(0);
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(t.totalTokens()).isEqualTo(39L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed")
			.containsKeys("time_to_first_chunk_ms", "latency_ms");
	}

	@Test
	void aStreamTheCallerStopsAfterTwoPartsIsCancelledWithThePartialText() throws Exception {
		fx.server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(50)));
		Collector handler = new Collector(2);

		fx.streamingModel.chat(request, handler);

		LoggedTask t = fx.awaitTasks(1).get(0);
		assertThat(t.metadata()).containsEntry("stream_status", "cancelled");
		assertThat(t.output()).isEqualTo(String.join("", handler.parts));
		assertThat(handler.parts).hasSize(2);
		assertThat(t.input()).isEqualTo(QUESTION);
		Thread.sleep(200);
		assertThat(handler.parts).as("nothing reaches the handler after its cancel").hasSize(2);
		assertThat(handler.done).isNotDone();
	}

	@Test
	void aStreamThatFailsIsAnErrorTaskAndTheHandlerGetsTheError() throws Exception {
		fx.server.enqueue(Recording.ERROR_401);
		Collector handler = new Collector(Integer.MAX_VALUE);

		fx.streamingModel.chat(request, handler);

		Throwable error = handler.error.get(10, TimeUnit.SECONDS);
		assertThat(error).hasMessageContaining("Incorrect API key provided");
		LoggedTask t = fx.awaitTasks(1).get(0);
		assertThat(t.metadata()).containsEntry("stream_status", "error");
		assertThat((String) t.metadata().get("error")).contains("Incorrect API key provided");
		assertThat(t.output()).isNull();
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
	}

	@Test
	void aStreamedToolCallIsTheOutputOfItsTask() throws Exception {
		fx.server.enqueue(Recording.CHAT_STREAM_TOOL_CALLS);
		Collector handler = new Collector(Integer.MAX_VALUE);

		fx.streamingModel.chat(request, handler);

		handler.done.get(10, TimeUnit.SECONDS);
		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo(
				"get_weather({\"location\": \"Paris, France\"})\nget_weather({\"location\": \"Tokyo, Japan\"})");
		assertThat(t.totalTokens()).isEqualTo(131L);
	}

	@Test
	void aFluxOfTheStreamIsLoggedWithLogStream() {
		fx.server.enqueue(Recording.CHAT_STREAM);

		StepVerifier.create(LangChain4jFlux.logged(fx.phospho, fx.rawStreamingModel, request)
				.map(ChatStreamEvent::text)
				.collectList())
			.assertNext(parts -> assertThat(String.join("", parts)).isEqualTo(ANSWER))
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(t.totalTokens()).isEqualTo(39L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void aFluxTakenForTwoEventsIsACancelledTask() throws InterruptedException {
		fx.server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(50)));

		StepVerifier.create(LangChain4jFlux.logged(fx.phospho, fx.rawStreamingModel, request)
				.ofType(ChatStreamEvent.Partial.class)
				.take(2))
			.expectNextCount(2)
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		LoggedTask t = fx.awaitTasks(1).get(0);
		assertThat(t.metadata()).containsEntry("stream_status", "cancelled");
		assertThat(t.output()).isEqualTo("Qubits");
	}

	/** A caller's handler that stops the stream after {@code max} parts. */
	static final class Collector implements StreamingChatResponseHandler {

		final List<String> parts = new CopyOnWriteArrayList<>();
		final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		final CompletableFuture<Throwable> error = new CompletableFuture<>();
		final int max;

		Collector(int max) {
			this.max = max;
		}

		@Override
		public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
			parts.add(partial.text());
			if (parts.size() == max) {
				context.streamingHandle().cancel();
			}
		}

		@Override
		public void onCompleteResponse(ChatResponse completeResponse) {
			done.complete(completeResponse);
		}

		@Override
		public void onError(Throwable e) {
			error.complete(e);
		}
	}
}
