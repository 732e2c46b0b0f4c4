package ai.phospho.reactive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static ai.phospho.reactive.TestSupport.chatCompletion;
import static ai.phospho.reactive.TestSupport.message;
import static ai.phospho.reactive.TestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;

/** Every extraction rule of PROTOCOL.md "SDK semantics", on maps, lists, JSON, records and beans. */
class ExtractionTest {

	static Map<String, Object> map(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	static Map<String, Object> chunk(String content) {
		return map("object", "chat.completion.chunk", "model", "gpt-4o-mini",
				"choices", List.of(map("index", 0, "delta", map("content", content), "finish_reason", null)));
	}

	@Test
	void aRequestGivesTheContentOfItsLastMessage() {
		Map<String, Object> request = map("messages", List.of(message("user", "first"),
				message("assistant", "reply"), message("user", "second")));

		assertThat(task(request, null).input()).isEqualTo("second");
	}

	@Test
	void aRequestWithAnEmptyMessageListFallsBackToItsJsonText() {
		Map<String, Object> request = map("messages", List.of(), "model", "m");

		assertThat(task(request, null).input()).isEqualTo("{\"messages\":[],\"model\":\"m\"}");
	}

	@Test
	void aMessageListGivesItsLastRunOfUserMessages() {
		List<Map<String, Object>> messages = List.of(message("user", "a"), message("user", "b"),
				message("assistant", "c"), message("user", "d"), message("user", "e"), message("assistant", "f"));

		assertThat(task(messages, null).input()).isEqualTo("d\ne");
	}

	@Test
	void aMessageListWithoutUserMessagesGivesAnEmptyInput() {
		List<Map<String, Object>> messages = List.of(message("system", "s"), message("assistant", "a"));

		assertThat(task(messages, null).input()).isEmpty();
	}

	@Test
	void aMessageListOutputGivesItsLastRunOfAssistantMessages() {
		List<Map<String, Object>> messages = List.of(message("user", "q"), message("assistant", "a1"),
				message("user", "q2"), message("assistant", "a2"), message("assistant", "a3"), message("user", "q3"));

		assertThat(task("in", messages).output()).isEqualTo("a2\na3");
	}

	@Test
	void aMessageListOutputWithoutAssistantMessagesGivesAnEmptyOutput() {
		assertThat(task("in", List.of(message("user", "q"))).output()).isEmpty();
	}

	@Test
	void aChatCompletionGivesTheContentOfItsFirstChoice() {
		Map<String, Object> completion = chatCompletion("the answer");
		@SuppressWarnings("unchecked")
		List<Object> choices = new ArrayList<>((List<Object>) completion.get("choices"));
		choices.add(map("index", 1, "message", message("assistant", "another answer")));
		completion.put("choices", choices);

		assertThat(task("q", completion).output()).isEqualTo("the answer");
	}

	@Test
	void aChunkGivesItsDeltaContent() {
		assertThat(task("q", chunk("Qubits")).output()).isEqualTo("Qubits");
	}

	@Test
	void aChunkWithANullDeltaContentGivesAnEmptyString() {
		assertThat(task("q", chunk(null)).output()).isEmpty();
	}

	@Test
	void anOllamaReplyGivesItsResponseAndModel() {
		Map<String, Object> reply = map("model", "mistral-7b", "response", "Qubits compute.", "done", true);

		LoggedTask t = task("Explain quantum computers in less than 20 words.", reply);

		assertThat(t.output()).isEqualTo("Qubits compute.");
		assertThat(t.model()).isEqualTo("mistral-7b");
	}

	@Test
	void theSystemPromptIsTheFirstMessageOfARequestWhenItIsASystemMessage() {
		Map<String, Object> request = map("messages", List.of(message("system", "first system"),
				message("user", "q"), message("system", "later system")));

		assertThat(task(request, null).systemPrompt()).isEqualTo("first system");
	}

	@Test
	void aRequestWhoseFirstMessageIsNotASystemMessageHasNoSystemPrompt() {
		Map<String, Object> request = map("messages", List.of(message("user", "q"), message("system", "s")));

		LoggedTask t = task(request, null);

		assertThat(t.systemPrompt()).isNull();
		assertThat(t.toMap()).doesNotContainKey("system_prompt");
	}

	@Test
	void anAnthropicStyleSystemKeyIsTheSystemPrompt() {
		Map<String, Object> request = map("system", "Be brief.", "messages", List.of(message("user", "q")),
				"model", "claude");

		LoggedTask t = task(request, null);

		assertThat(t.systemPrompt()).isEqualTo("Be brief.");
		assertThat(t.input()).isEqualTo("q");
	}

	@Test
	void everySystemMessageOfAListIsJoinedIntoTheSystemPrompt() {
		List<Map<String, Object>> messages = List.of(message("system", "one"), message("user", "q"),
				message("system", "two"));

		assertThat(task(messages, null).systemPrompt()).isEqualTo("one\ntwo");
	}

	@Test
	void theModelComesFromTheOutputElseFromTheInput() {
		Map<String, Object> request = map("model", "gpt-4o-mini", "messages", List.of(message("user", "q")));

		assertThat(task(request, chatCompletion("a")).model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(task(request, "a").model()).isEqualTo("gpt-4o-mini");
		assertThat(task("q", "a").model()).isNull();
	}

	@Test
	void usageIsSpreadIntoTokenCounts() {
		LoggedTask t = task("q", chatCompletion("a"));

		assertThat(t.promptTokens()).isEqualTo(27L);
		assertThat(t.completionTokens()).isEqualTo(12L);
		assertThat(t.totalTokens()).isEqualTo(39L);
	}

	@Test
	void anOutputWithoutUsageHasNoTokenCounts() {
		assertThat(task("q", "a").toMap()).doesNotContainKeys("prompt_tokens", "completion_tokens", "total_tokens");
	}

	@Test
	void jacksonTreesAreReadLikeMaps() {
		JsonNode request = TestSupport.tree("{\"model\":\"gpt-4o-mini\",\"messages\":["
				+ "{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"hello\"}]}");
		JsonNode completion = TestSupport.tree("{\"model\":\"gpt-x\",\"choices\":[{\"message\":"
				+ "{\"role\":\"assistant\",\"content\":\"hi there\"}}],\"usage\":{\"prompt_tokens\":3,"
				+ "\"completion_tokens\":2,\"total_tokens\":5}}");

		LoggedTask t = task(request, completion);

		assertThat(t.input()).isEqualTo("hello");
		assertThat(t.output()).isEqualTo("hi there");
		assertThat(t.systemPrompt()).isEqualTo("sys");
		assertThat(t.model()).isEqualTo("gpt-x");
		assertThat(t.totalTokens()).isEqualTo(5L);
		assertThat(t.rawInput()).isInstanceOf(Map.class);
	}

	public record Message(String role, String content) {
	}

	public record Request(String model, List<Message> messages) {
	}

	/** A JavaBean, read through its getters. */
	public static final class Reply {
		private final String response;

		Reply(String response) {
			this.response = response;
		}

		public String getResponse() {
			return response;
		}

		public String getModel() {
			return "llama3";
		}
	}

	@Test
	void recordsAreReadThroughJackson() {
		Request request = new Request("gpt-4o-mini", List.of(new Message("system", "sys"), new Message("user", "hi")));
		List<Message> conversation = List.of(new Message("user", "hi"), new Message("assistant", "hello"));

		LoggedTask t = task(request, conversation);

		assertThat(t.input()).isEqualTo("hi");
		assertThat(t.systemPrompt()).isEqualTo("sys");
		assertThat(t.output()).isEqualTo("hello");
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
		assertThat(t.rawInput()).isEqualTo(map("model", "gpt-4o-mini", "messages",
				List.of(message("system", "sys"), message("user", "hi"))));
		assertThat(t.rawInputTypeName()).isEqualTo("Request");
	}

	@Test
	void beansAreReadThroughTheirGetters() {
		LoggedTask t = task("q", new Reply("from a bean"));

		assertThat(t.output()).isEqualTo("from a bean");
		assertThat(t.model()).isEqualTo("llama3");
		assertThat(t.rawOutputTypeName()).isEqualTo("Reply");
	}

	@Test
	void jsonInBytesIsParsed() {
		byte[] request = "{\"messages\":[{\"role\":\"user\",\"content\":\"from bytes\"}]}".getBytes(StandardCharsets.UTF_8);

		LoggedTask t = task(request, "plain text bytes".getBytes(StandardCharsets.UTF_8));

		assertThat(t.input()).isEqualTo("from bytes");
		assertThat(t.output()).isEqualTo("plain text bytes");
		assertThat(t.rawInputTypeName()).isEqualTo("byte[]");
	}

	@Test
	void rawValuesAreCopiesOfTheObjectsWithTheirTypeNames() {
		ArrayList<Map<String, Object>> messages = new ArrayList<>(List.of(message("user", "q")));

		LoggedTask t = task(messages, "answer");

		assertThat(t.rawInput()).isEqualTo(List.of(message("user", "q")));
		assertThat(t.rawInputTypeName()).isEqualTo("ArrayList");
		assertThat(t.rawOutput()).isEqualTo("answer");
		assertThat(t.rawOutputTypeName()).isEqualTo("String");
		assertThat(t.toMap()).containsEntry("raw_input_type_name", "ArrayList")
				.containsEntry("raw_output_type_name", "String");
	}

	@Test
	void explicitRawValuesOverrideTheDefaults() {
		Map<String, Object> rawIn = map("prompt", "original");
		List<Object> rawOut = Arrays.asList(map("k", 1), null);

		LoggedTask t = task(TaskLog.of("q").output("a").rawInput(rawIn).rawOutput(rawOut));

		assertThat(t.input()).isEqualTo("q");
		assertThat(t.rawInput()).isEqualTo(map("prompt", "original"));
		assertThat(t.rawInputTypeName()).isEqualTo("LinkedHashMap");
		assertThat(t.rawOutput()).isEqualTo(Arrays.asList(map("k", 1L), null));
		assertThat(t.rawOutputTypeName()).isEqualTo("ArrayList");
	}

	@Test
	void anExplicitNullRawOutputLeavesRawOutputOut() {
		LoggedTask t = task(TaskLog.of("q").output("a").rawOutput(null));

		assertThat(t.rawOutput()).isNull();
		assertThat(t.toMap()).doesNotContainKeys("raw_output", "raw_output_type_name");
	}
}
