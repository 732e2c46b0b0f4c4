package ai.phospho.reactive.langchain4j;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/** Real LangChain4j OpenAI models against {@link MockOpenAiServer}, and a phospho client that exports to memory. */
final class LangChain4jFixture implements AutoCloseable {

	static final String OPENAI_KEY = "sk-test-0123456789abcdef0123456789abcdef";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final InMemoryTaskExporter exporter = new InMemoryTaskExporter();
	final PhosphoClient phospho = PhosphoClient.create(PhosphoOptions.builder()
			.exporter(exporter)
			.lingerDelay(Duration.ofMillis(10))
			.shutdownHook(false)
			.build());
	final PhosphoChatModelListener listener = PhosphoChatModelListener.create(phospho);
	final OpenAiChatModel model = OpenAiChatModel.builder()
		.baseUrl(server.baseUrl())
		.apiKey(OPENAI_KEY)
		.modelName("gpt-4o-mini")
		.temperature(0.2)
		.maxRetries(0)
		.listeners(List.of(listener))
		.build();
	final OpenAiStreamingChatModel rawStreamingModel = OpenAiStreamingChatModel.builder()
		.baseUrl(server.baseUrl())
		.apiKey(OPENAI_KEY)
		.modelName("gpt-4o-mini")
		.listeners(List.of(listener))
		.build();
	final PhosphoStreamingChatModel streamingModel = PhosphoStreamingChatModel.wrap(rawStreamingModel, phospho);

	/** Every task logged so far, once exported. */
	List<LoggedTask> tasks() {
		phospho.flush().block(Duration.ofSeconds(5));
		return exporter.tasks();
	}

	/** Waits until {@code n} tasks were logged. */
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
