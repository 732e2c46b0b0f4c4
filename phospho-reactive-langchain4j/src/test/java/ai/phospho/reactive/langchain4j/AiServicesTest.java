package ai.phospho.reactive.langchain4j;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.openai.Recording;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AiServicesTest {

	static final String QUESTION = "Explain quantum computers in less than 20 words.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	interface Assistant {

		@SystemMessage("You are a helpful assistant.")
		String chat(@MemoryId String conversation, @UserMessage String message);
	}

	interface StreamingAssistant {

		@SystemMessage("You are a helpful assistant.")
		TokenStream chat(@MemoryId String conversation, @UserMessage String message);
	}

	final LangChain4jFixture fx = new LangChain4jFixture();

	@AfterEach
	void close() {
		fx.close();
	}

	@Test
	void eachCallOfAnAiServiceIsATaskInTheSessionOfItsMemoryId() {
		Assistant assistant = AiServices.builder(Assistant.class)
			.chatModel(fx.model)
			.chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
			.registerListener(fx.listener)
			.build();
		fx.server.enqueue(Recording.CHAT_COMPLETION).enqueue(Recording.CHAT_COMPLETION);

		assertThat(assistant.chat("c-1", QUESTION)).isEqualTo(ANSWER);
		assistant.chat("c-1", "Shorter, please.");

		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).extracting(LoggedTask::sessionId).containsExactly("c-1", "c-1");
		assertThat(tasks).extracting(LoggedTask::input).containsExactly(QUESTION, "Shorter, please.");
		assertThat(tasks).extracting(LoggedTask::systemPrompt).containsOnly("You are a helpful assistant.");
		assertThat(tasks.get(0).output()).isEqualTo(ANSWER);
	}

	@Test
	void aToolCallingRoundOfAnAiServiceIsOneTaskPerModelCall() {
		Assistant assistant = AiServices.builder(Assistant.class)
			.chatModel(fx.model)
			.chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
			.tools(new Answers.WeatherTools())
			.registerListener(fx.listener)
			.build();
		fx.server.enqueue(Recording.TOOL_CALL_COMPLETION)
			.enqueue(Recording.TOOL_RESULT_ANSWER);

		assertThat(assistant.chat("c-weather", "What is the weather in Paris?")).isEqualTo("It is sunny in Paris.");

		List<LoggedTask> tasks = fx.tasks();
		assertThat(tasks).extracting(LoggedTask::output)
			.containsExactly("get_weather({\"city\":\"Paris\"})", "It is sunny in Paris.");
		assertThat(tasks).extracting(LoggedTask::input).containsOnly("What is the weather in Paris?");
		assertThat(tasks).extracting(LoggedTask::sessionId).containsOnly("c-weather");
		assertThat(tasks.get(0).rawInput().toString()).contains("tools=[get_weather]");
	}

	@Test
	void aStreamingAiServiceIsLoggedByTheWrappedStreamingModel() throws Exception {
		StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
			.streamingChatModel(fx.streamingModel)
			.chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
			.registerListener(fx.listener)
			.build();
		fx.server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(2)));
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();

		assistant.chat("c-2", QUESTION).onPartialResponse(s -> { }).onCompleteResponse(done::complete)
			.onError(done::completeExceptionally).start();

		assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(ANSWER);
		LoggedTask t = fx.awaitTasks(1).get(0);
		assertThat(t.sessionId()).isEqualTo("c-2");
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}
}
