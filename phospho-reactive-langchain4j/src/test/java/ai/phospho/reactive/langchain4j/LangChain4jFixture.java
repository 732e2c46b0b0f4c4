package ai.phospho.reactive.langchain4j;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/** Real LangChain4j OpenAI models against {@link MockOpenAiServer}, and a phospho client that exports to memory. */
final class LangChain4jFixture implements AutoCloseable {

	static final String OPENAI_KEY = "sk-test-0123456789abcdef0123456789abcdef";

	final MockOpenAiServer server = MockOpenAiServer.start();
	final PhosphoTestClient phosphoTest = PhosphoTestClient.create();
	final PhosphoClient phospho = phosphoTest.client();
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
