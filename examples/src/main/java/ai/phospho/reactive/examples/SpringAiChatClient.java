package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.springai.PhosphoAdvisor;
import ai.phospho.reactive.test.openai.Recording;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI: with {@link PhosphoAdvisor} among a {@code ChatClient}'s advisors, each call and stream
 * is a task, in the session of its conversation id. (A Spring Boot application with the starter gets
 * the advisor on every auto-configured {@code ChatClient.Builder} without this line.)
 */
public final class SpringAiChatClient implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new SpringAiChatClient());
	}

	@Override
	public String title() {
		return "Spring AI ChatClient";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_STREAM);
	}

	@Override
	public void run(Llm llm) {
		OpenAiChatModel model = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(llm.openAiBaseUrl())
				.apiKey(llm.openAiKey())
				.model(llm.openAiModel())
				.streamUsage(true)
				.build())
			.build();

		ChatClient chat = ChatClient.builder(model)
			.defaultAdvisors(PhosphoAdvisor.create())   // the one line: logs to the static Phospho API
			.defaultSystem("You are a helpful assistant.")
			.build();

		chat.prompt()
			.user("Explain quantum computers in less than 20 words.")
			.advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "quantum-1"))
			.stream()
			.content()
			.blockLast(Examples.TIMEOUT);
	}
}
