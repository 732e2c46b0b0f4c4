package ai.phospho.reactive.springai;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/** A real Spring AI {@code OpenAiChatModel} against {@link MockOpenAiServer}, and a phospho client that exports to memory. */
final class SpringAiFixture implements AutoCloseable {

	static final String OPENAI_KEY = "sk-test-0123456789abcdef0123456789abcdef";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final InMemoryTaskExporter exporter = new InMemoryTaskExporter();
	final PhosphoClient phospho = PhosphoClient.create(PhosphoOptions.builder()
			.exporter(exporter)
			.lingerDelay(Duration.ofMillis(10))
			.shutdownHook(false)
			.build());
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
		phospho.flush().block(Duration.ofSeconds(5));
		return exporter.tasks();
	}

	/** Waits until {@code n} tasks were logged: a cancelled stream logs from the cancelling thread. */
	List<LoggedTask> awaitTasks(int n) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (tasks().size() < n && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		return tasks();
	}

	@Override
	public void close() {
		phospho.shutdown().block(Duration.ofSeconds(5));
		server.close();
	}
}
