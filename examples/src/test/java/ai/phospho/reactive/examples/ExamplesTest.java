package ai.phospho.reactive.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each example, run against the replay server, logs what the guide shows: the texts are asserted
 * exactly, on the tasks the exporter received.
 */
class ExamplesTest {

	static final String QUESTION = "Explain quantum computers in less than 20 words.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";
	static final String SYSTEM = "You are a helpful assistant.";

	private final InMemoryTaskExporter memory = new InMemoryTaskExporter();
	private Llm llm;
	private Examples.Session session;

	@BeforeEach
	void start() {
		llm = Llm.replaying();
		session = Examples.initPhospho(PhosphoOptions.builder().exporter(memory).lingerDelay(Duration.ofMillis(5)));
	}

	@AfterEach
	void stop() {
		session.client().shutdown().block(Duration.ofSeconds(5));
		llm.close();
	}

	/** Runs the example; its tasks as the exporter received them, which must be one. */
	private LoggedTask runOne(Example example) throws Exception {
		List<LoggedTask> tasks = Examples.run(example, llm, session);
		assertThat(tasks).hasSize(1);
		assertThat(memory.tasks()).containsExactlyElementsOf(tasks);
		return tasks.get(0);
	}

	@Test
	void logStringsLogsTheStringsAsTheyAre() throws Exception {
		LoggedTask t = runOne(new LogStrings());
		assertThat(t.input()).isEqualTo("Hello! This is what the user asked to the system");
		assertThat(t.output()).isEqualTo("This is the response showed to the user by the app.");
		assertThat(t.systemPrompt()).isNull();
	}

	@Test
	void openAiQueryExtractsTheQuestionAndTheAnswerFromTheRequestAndTheCompletion() throws Exception {
		LoggedTask t = runOne(new OpenAiQuery());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.totalTokens()).as("usage of the completion").isEqualTo(39L);
	}

	@Test
	void aListOfMessagesGivesInputOutputAndSystemPromptByRole() throws Exception {
		LoggedTask t = runOne(new MessageList());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
	}

	@Test
	void consecutiveMessagesOfOneRoleAreJoinedWithANewline() throws Exception {
		LoggedTask t = runOne(new ConsecutiveRoles());
		assertThat(t.input()).isEqualTo(QUESTION + "\nWhat is the speed of light?");
		assertThat(t.output()).isNull();
	}

	@Test
	void customExtractorsGiveTheTextsAndKeepTheObjectsRaw() throws Exception {
		LoggedTask t = runOne(new CustomExtractors());
		assertThat(t.input()).isEqualTo("this is a complex object");
		assertThat(t.output()).isEqualTo("which is not a string nor a standard object");
		assertThat(t.rawInput()).isEqualTo(Map.of("custom_input", "this is a complex object"));
		assertThat(t.rawOutput()).isEqualTo(Map.of("custom_output", "which is not a string nor a standard object"));
	}

	@Test
	void metadataAndExtraKeysAreLoggedWithTheTask() throws Exception {
		LoggedTask t = runOne(new LogMetadata());
		assertThat(t.input()).isEqualTo("log this");
		assertThat(t.output()).isEqualTo("and that");
		assertThat(t.metadata()).isEqualTo(Map.of("always", "moooore"));
		assertThat(t.extras()).isEqualTo(Map.of("log_anything_and_everything", "even this is ok"));
	}

	@Test
	void anOpenAiStreamIsOneTaskWithTheConcatenatedText() throws Exception {
		LoggedTask t = runOne(new OpenAiStreaming());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.metadata()).containsEntry("chunk_count", 15L).containsKey("stream_status");
	}

	@Test
	void aSpringAiChatClientStreamIsOneTaskInTheSessionOfItsConversation() throws Exception {
		LoggedTask t = runOne(new SpringAiChatClient());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.sessionId()).isEqualTo("quantum-1");
		assertThat(t.totalTokens()).isEqualTo(39L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void aLangChain4jStreamIsOneTaskWithTheWholeAnswerAndUsage() throws Exception {
		LoggedTask t = runOne(new LangChain4jChat());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.totalTokens()).isEqualTo(39L);
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void anOllamaStreamIsLoggedWhenTheStopRuleMatchesTheDoneLine() throws Exception {
		LoggedTask t = runOne(new OllamaStreaming());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.metadata()).containsEntry("stream_status", "stopped").containsEntry("chunk_count", 13L);
	}

	@Test
	void aWrappedFunctionLogsItsArgumentAndResult() throws Exception {
		LoggedTask t = runOne(new WrapFunction());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.metadata()).doesNotContainKey("more");
	}

	@Test
	void aFunctionWrappedWithMetadataLogsTheMetadata() throws Exception {
		LoggedTask t = runOne(new WrapWithMetadata());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.metadata()).containsEntry("more", "details");
	}

	@Test
	void theWrappedMethodReferenceLogsTheRequestAndTheCompletionItEmits() throws Exception {
		LoggedTask t = runOne(new WrapImportedFunction());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo(SYSTEM);
		assertThat(t.metadata()).containsEntry("more", "details");
	}

	@Test
	void aWrappedStreamingFunctionIsLoggedAtTheFinishReasonChunk() throws Exception {
		LoggedTask t = runOne(new WrapStreamingFunction());
		assertThat(t.input()).isEqualTo(QUESTION);
		assertThat(t.output()).isEqualTo(ANSWER);
		// The role chunk, 12 text chunks and the finish_reason chunk; the usage chunk comes after the stop.
		assertThat(t.metadata()).containsEntry("stream_status", "stopped").containsEntry("chunk_count", 14L);
	}

	@Test
	void theStaticApiLogsToTheClientTheExamplesInitialised() {
		assertThat(Phospho.client()).isSameAs(session.client());
	}
}
