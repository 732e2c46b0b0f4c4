package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static ai.phospho.reactive.TestSupport.chatCompletion;
import static ai.phospho.reactive.TestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** The examples of the reference document (phospho-python-logging.md), one test each, through a client. */
class ReferenceExamplesTest {

	static final String PROMPT = "Explain quantum computers in less than 20 words.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	RecordingExporter exporter;
	PhosphoClient client;

	@BeforeEach
	void setUp() {
		exporter = RecordingExporter.immediate();
		client = PhosphoClient.create(TestSupport.options(exporter).build());
	}

	@AfterEach
	void tearDown() {
		client.shutdown().block(Duration.ofSeconds(5));
	}



	@Test
	void stringInputAndOutputAreLoggedAsTheyAre() {
		String input = "Hello! This is what the user asked to the system";
		String output = "This is the response showed to the user by the app.";

		LoggedTask t = client.log(input, output);

		assertThat(t.input()).isEqualTo(input);
		assertThat(t.output()).isEqualTo(output);
		assertThat(t.toMap()).containsEntry("input", input).containsEntry("output", output);
	}

	@Test
	void outputIsOptional() {
		LoggedTask t = client.log("only a question", null);

		assertThat(t.output()).isNull();
		assertThat(t.toMap()).doesNotContainKey("output").doesNotContainKey("raw_output");
	}

	@Test
	void openAiQueryAndChatCompletionGiveThePromptAndTheAnswer() {
		Map<String, Object> query = new LinkedHashMap<>();
		query.put("messages", List.of(message("system", "You are a helpful assistant."), message("user", PROMPT)));
		query.put("model", "gpt-4o-mini");

		LoggedTask t = client.log(query, chatCompletion(ANSWER));

		assertThat(t.input()).isEqualTo(PROMPT);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo("You are a helpful assistant.");
		assertThat(t.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(t.toMap())
				.containsEntry("prompt_tokens", 27L)
				.containsEntry("completion_tokens", 12L)
				.containsEntry("total_tokens", 39L);
	}

	@Test
	void aMessageListAsInputAndOutputGivesInputOutputAndSystemPrompt() {
		List<Map<String, Object>> messages = new ArrayList<>();
		messages.add(message("system", "You are a helpful assistant."));
		messages.add(message("user", PROMPT));
		messages.add(message("assistant", ANSWER));

		LoggedTask t = client.log(messages, messages);

		assertThat(t.input()).isEqualTo(PROMPT);
		assertThat(t.output()).isEqualTo(ANSWER);
		assertThat(t.systemPrompt()).isEqualTo("You are a helpful assistant.");
		assertThat(t.toMap()).containsEntry("system_prompt", "You are a helpful assistant.");
	}

	@Test
	void consecutiveUserMessagesAreJoinedWithANewline() {
		List<Map<String, Object>> messages = List.of(
				message("system", "You are a helpful assistant."),
				message("user", PROMPT),
				message("user", "What is the speed of light?"));

		LoggedTask t = client.log(messages, null);

		assertThat(t.input()).isEqualTo(PROMPT + "\nWhat is the speed of light?");
	}

	@Test
	void customExtractorsReplaceTheDefaultExtractionAndRawValuesKeepTheObjects() {
		Map<String, String> input = Map.of("custom_input", "this is a complex object");
		Map<String, String> output = Map.of("custom_output", "which is not a string nor a standard object");

		LoggedTask t = client.log(TaskLog.of(input)
				.output(output)
				.inputToString(x -> x.get("custom_input"))
				.outputToString(x -> x.get("custom_output")));

		assertThat(t.input()).isEqualTo("this is a complex object");
		assertThat(t.output()).isEqualTo("which is not a string nor a standard object");
		assertThat(t.rawInput()).isEqualTo(input);
		assertThat(t.rawOutput()).isEqualTo(output);
	}

	@Test
	void metadataAndExtraKeysAreLogged() {
		LoggedTask t = client.log(TaskLog.of("log this")
				.output("and that")
				.metadata(Map.of("always", "moooore"))
				.put("log_anything_and_everything", "even this is ok"));

		assertThat(t.metadata()).isEqualTo(Map.of("always", "moooore"));
		assertThat(t.toMap())
				.containsEntry("metadata", Map.of("always", "moooore"))
				.containsEntry("log_anything_and_everything", "even this is ok");
	}

	@Test
	void theLoggedTaskIsTheOneExported() throws InterruptedException {
		LoggedTask t = client.log("log this", "and that");
		client.flush().block(Duration.ofSeconds(5));

		assertThat(exporter.tasks()).containsExactly(t);
	}
}
