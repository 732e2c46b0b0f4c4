package ai.phospho.reactive.langchain4j;

import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.openai.Recording;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhosphoChatModelListenerTest {

	static final String QUESTION = "Explain quantum computers in less than 20 words.";
	static final String SYSTEM = "You are a helpful assistant.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final LangChain4jFixture fx = new LangChain4jFixture();
	final ChatRequest request = ChatRequest.builder()
		.messages(SystemMessage.from(SYSTEM), UserMessage.from("Hello."), UserMessage.from(QUESTION))
		.build();

	@AfterEach
	void close() {
		fx.close();
	}

	@Test
	void aCallIsOneTaskWithTheLastUserMessagesSystemPromptAnswerModelAndUsage() {
		fx.server.enqueue(Recording.CHAT_COMPLETION);

		String answer = fx.model.chat(request, ChatRequestOptions.builder()
				.addListenerAttribute(PhosphoChatModelListener.SESSION_ID, "s-1")
				.addListenerAttribute(PhosphoChatModelListener.USER_ID, "u-7")
				.addListenerAttribute(PhosphoChatModelListener.METADATA, Map.of("feature", "faq"))
				.build())
			.aiMessage()
			.text();

		assertThat(answer).isEqualTo(ANSWER);
		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).hasSize(1);
		LoggedTask t = tasks.get(0);
		assertThat(t.input()).isEqualTo("Hello.\n" + QUESTION);
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
				List.of(Map.of("role", "system", "content", SYSTEM), Map.of("role", "user", "content", "Hello."),
						Map.of("role", "user", "content", QUESTION))));
	}

	@Test
	void aProviderErrorIsLoggedAsAnErrorAndReachesTheCallerUnchanged() {
		fx.server.enqueue(Recording.ERROR_429);

		assertThatThrownBy(() -> fx.model.chat(request)).hasMessageContaining("Rate limit reached for gpt-4o-mini");

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.input()).isEqualTo("Hello.\n" + QUESTION);
		assertThat(t.output()).isNull();
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
		assertThat(t.metadata()).containsEntry("stream_status", "error");
		assertThat((String) t.metadata().get("error")).contains("Rate limit reached for gpt-4o-mini");
	}

	@Test
	void toolCallsAreTheOutputOneLinePerCall() {
		fx.server.enqueue(Recording.TOOL_CALL_COMPLETION);

		fx.model.chat(request);

		LoggedTask t = fx.tasks().get(0);
		assertThat(t.output()).isEqualTo("get_weather({\"city\":\"Paris\"})");
		assertThat(t.totalTokens()).isEqualTo(70L);
	}
}
