package ai.phospho.reactive.springai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoContext;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.tool.annotation.Tool;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhosphoAdvisorTest {

	static final String QUESTION = "Explain quantum computers in less than 20 words.";
	static final String SYSTEM = "You are a helpful assistant.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final SpringAiFixture fx = new SpringAiFixture();
	final ChatClient chat = fx.chatClient().defaultSystem(SYSTEM).build();

	@AfterEach
	void close() {
		fx.close();
	}

	@Test
	void aCallIsOneTaskWithTheUserTextSystemPromptAnswerModelAndUsage() {
		fx.server.enqueue(Recording.CHAT_COMPLETION);

		String content = chat.prompt().user(QUESTION)
			.advisors(a -> a.param(PhosphoAdvisor.USER_ID, "u-7")
				.param(PhosphoAdvisor.SESSION_ID, "s-1")
				.param(PhosphoAdvisor.METADATA, Map.of("feature", "faq")))
			.call()
			.content();

		assertThat(content).isEqualTo(ANSWER);
		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).hasSize(1);
		LoggedTask t = tasks.get(0);
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(t.promptTokens()).isEqualTo(27L);
		assertThat(t.completionTokens()).isEqualTo(12L);
		assertThat(t.totalTokens()).isEqualTo(39L);
		assertThat(t.sessionId()).isEqualTo("s-1");
		assertThat(t.userId()).isEqualTo("u-7");
		assertThat(t.metadata()).containsEntry("feature", "faq")
			.containsEntry("stream_status", "completed")
			.containsKey("latency_ms");
		assertThat(t.rawInput()).isEqualTo(Map.of("model", "gpt-4o-mini", "temperature", 0.2, "messages",
				List.of(Map.of("role", "system", "content", SYSTEM), Map.of("role", "user", "content", QUESTION))));
	}

	@Test
	void aStreamConsumedToTheEndIsOneCompletedTaskWithTheWholeTextUsageAndTimeToFirstChunk() {
		fx.server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(2)));

		StepVerifier.create(chat.prompt().user(QUESTION).stream().content().collectList())
			.assertNext(parts -> assertThat(String.join("", parts)).isEqualTo(ANSWER))
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).hasSize(1);
		LoggedTask t = tasks.get(0);
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(t.totalTokens()).isEqualTo(39L);
		assertThat(t.promptTokens()).isEqualTo(27L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed")
			.containsKeys("time_to_first_chunk_ms", "latency_ms", "chunk_count");
		assertThat(t.rawInput()).isEqualTo(Map.of("model", "gpt-4o-mini", "temperature", 0.2, "messages",
				List.of(Map.of("role", "system", "content", SYSTEM), Map.of("role", "user", "content", QUESTION))));
	}

	@Test
	void aStreamCancelledAfterTwoChunksIsCancelledWithThePartialText() throws InterruptedException {
		fx.server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(50)));

		StepVerifier.create(chat.prompt().user(QUESTION).stream().chatResponse()
				.filter(r -> r.getResult() != null && !r.getResult().getOutput().getText().isEmpty())
				.take(2))
			.expectNextCount(2)
			.expectComplete()
			.verify(Duration.ofSeconds(10));

		LoggedTask t = fx.awaitTasks(1).get(0);
		assertThat(t.metadata()).containsEntry("stream_status", "cancelled");
		assertThat(t.output()).isEqualTo("Qubits");
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(t.usage()).isEmpty();
	}

	@Test
	void aProviderErrorIsLoggedAsAnErrorAndReachesTheCallerUnchanged() {
		fx.server.enqueue(Recording.ERROR_429);

		assertThatThrownBy(() -> chat.prompt().user(QUESTION).call().content())
			.hasMessageContaining("Rate limit reached for gpt-4o-mini");

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isNull();
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
		assertThat(t.metadata()).containsEntry("stream_status", "error");
		assertThat((String) t.metadata().get("error")).contains("Rate limit reached for gpt-4o-mini");
	}

	@Test
	void aStreamThatFailsMidwayIsLoggedAsAnErrorWithThePartialText() {
		fx.server.enqueue(Recording.CHAT_STREAM_ERROR_MID_STREAM);

		StepVerifier.create(chat.prompt().user(QUESTION).stream().content())
			.thenConsumeWhile(s -> true)
			.expectError()
			.verify(Duration.ofSeconds(10));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.metadata()).containsEntry("stream_status", "error");
		assertThat((String) t.metadata().get("error")).contains("The server had an error");
		assertThat(t.output()).isEqualTo("Qubits");
	}

	@Test
	void aToolCallingRoundIsOneTaskPerModelCallWithTheCallsRenderedAsTheCoreRendersThem() {
		fx.server.enqueue(Recording.TOOL_CALL_COMPLETION);
		fx.server.enqueue(Recording.TOOL_RESULT_ANSWER);

		String content = chat.prompt().user("What is the weather in Paris?").tools(new WeatherTools())
			.advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c-weather"))
			.call()
			.content();

		assertThat(content).isEqualTo("It is sunny in Paris.");
		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).hasSize(2);
		LoggedTask call = tasks.get(0);
		assertThat(call.input()).isEqualTo("What is the weather in Paris?");
		assertThat(call.output()).isEqualTo("get_weather({\"city\":\"Paris\"})");
		assertThat(call.sessionId()).isEqualTo("c-weather");
		assertThat(call.totalTokens()).isEqualTo(70L);
		LoggedTask answer = tasks.get(1);
		assertThat(answer.input()).isEqualTo("What is the weather in Paris?");
		assertThat(answer.output()).isEqualTo("It is sunny in Paris.");
		assertThat(answer.sessionId()).isEqualTo("c-weather");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> messages = (List<Map<String, Object>>) ((Map<String, Object>) answer.rawInput())
			.get("messages");
		assertThat(messages).extracting(m -> m.get("role")).containsExactly("system", "user", "assistant", "tool");
		assertThat(messages.get(3)).containsEntry("tool_call_id", "call_1").containsEntry("name", "get_weather")
			.containsEntry("content", "\"sunny\"");
	}

	@Test
	void chatMemoryGivesTheConversationIdAsSessionAndTheHistoryAsRawInput() {
		ChatClient withMemory = fx.chatClient()
			.defaultAdvisors(MessageChatMemoryAdvisor.builder(MessageWindowChatMemory.builder().build()).build())
			.build();
		fx.server.enqueue(Recording.CHAT_COMPLETION).enqueue(Recording.CHAT_COMPLETION);

		withMemory.prompt().user(QUESTION).advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c-1")).call().content();
		withMemory.prompt().user("Shorter, please.").advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c-1"))
			.call().content();

		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).extracting(LoggedTask::sessionId).containsExactly("c-1", "c-1");
		assertThat(tasks).extracting(LoggedTask::input).containsExactly(QUESTION, "Shorter, please.");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> messages = (List<Map<String, Object>>) ((Map<String, Object>) tasks.get(1).rawInput())
			.get("messages");
		assertThat(messages).extracting(m -> m.get("content")).containsExactly(QUESTION, ANSWER, "Shorter, please.");
	}

	@Test
	void aStreamTakesItsSessionAndUserFromPhosphoContextWhenTheRequestHasNone() {
		fx.server.enqueue(Recording.CHAT_STREAM);

		Flux<String> answer = chat.prompt().user(QUESTION).stream().content()
			.contextWrite(PhosphoContext.session("s-ctx").user("u-ctx").metadata("k", "v"));
		StepVerifier.create(answer.then()).expectComplete().verify(Duration.ofSeconds(10));

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.sessionId()).isEqualTo("s-ctx");
		assertThat(t.userId()).isEqualTo("u-ctx");
		assertThat(t.metadata()).containsEntry("k", "v");
	}

	static final class WeatherTools {

		@Tool(name = "get_weather", description = "The weather in a city")
		String getWeather(String city) {
			return "sunny";
		}
	}
}
