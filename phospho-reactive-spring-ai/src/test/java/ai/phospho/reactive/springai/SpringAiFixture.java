package ai.phospho.reactive.springai;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/** A real Spring AI {@code OpenAiChatModel} against {@link MockOpenAiServer}, and a phospho client that exports to memory. */
final class SpringAiFixture implements AutoCloseable {

	static final String OPENAI_KEY = "sk-test-0123456789abcdef0123456789abcdef";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient phosphoTest = PhosphoTestClient.create();
	final PhosphoClient phospho = phosphoTest.client();
	final OpenAiChatModel model = OpenAiChatModel.builder()
		.options(OpenAiChatOptions.builder()
			.baseUrl(server.baseUrl())
			.apiKey(OPENAI_KEY)
			.model("gpt-4o-mini")
			.temperature(0.2)
			.maxRetries(0)
			.streamUsage(true)
			.build())
		.build();
	final PhosphoAdvisor advisor = PhosphoAdvisor.create(phospho);

	/** A {@code ChatClient} on the model with the advisor, as the one line of set-up gives it. */
	ChatClient.Builder chatClient() {
		return ChatClient.builder(model).defaultAdvisors(advisor);
	}

	/** Every task logged so far, once exported. */
	List<LoggedTask> tasks() {
		return phosphoTest.tasks();
	}

	/** Waits until {@code n} tasks were logged: a cancelled stream logs from the cancelling thread. */
	List<LoggedTask> awaitTasks(int n) {
		return phosphoTest.awaitTasks(n, Duration.ofSeconds(10));
	}

	@Override
	public void close() {
		phosphoTest.close();
		server.close();
	}
}
