package ai.phospho.reactive.openai;

import java.util.List;
import java.util.Map;

import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordsJsonTest {

	@Test
	void completionReadsEveryFieldAndKeepsUnknownOnes() {
		ChatCompletion c = Json.MAPPER.readValue(Recording.CHAT_COMPLETION.body(), ChatCompletion.class);

		assertThat(c.id()).isEqualTo("chatcmpl-AZ3kp1x9VbTq7LmR2sWcYd4uFgHiJ");
		assertThat(c.model()).isEqualTo("gpt-4o-mini-2024-07-18");
		assertThat(c.systemFingerprint()).isEqualTo("fp_0ba0d124f1");
		assertThat(c.text()).isEqualTo("Qubits harness quantum physics for faster, more powerful computation.");
		assertThat(c.choices().get(0).finishReason()).isEqualTo("stop");
		assertThat(c.usage()).isNotNull();
		assertThat(c.usage().promptTokens()).isEqualTo(27L);
		assertThat(c.usage().completionTokensDetails()).containsEntry("reasoning_tokens", 0);
		// "annotations" has no component: it is kept, and written back.
		assertThat(c.choices().get(0).message().extra()).containsEntry("annotations", List.of());
		JsonNode back = Json.MAPPER.valueToTree(c);
		assertThat(back.at("/choices/0/message/annotations").isArray()).isTrue();
		assertThat(back.at("/usage/prompt_tokens").asLong()).isEqualTo(27);
	}

	@Test
	void requestIsWrittenInSnakeCaseWithoutNullsAndWithExtraParameters() {
		ChatCompletionRequest r = ChatCompletionRequest.builder("gpt-4o-mini")
				.system("You are a helpful assistant.")
				.user("Hi")
				.maxCompletionTokens(50)
				.topP(0.5)
				.stream(true)
				.streamOptions(StreamOptions.includingUsage())
				.tool(Tool.function("get_weather", "Weather of a city", Map.of("type", "object")))
				.toolChoice("auto")
				.put("parallel_tool_calls", false)
				.build();

		String json = Json.MAPPER.writeValueAsString(r);

		assertThat(json).isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
				+ "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Hi\"}],\"top_p\":0.5,"
				+ "\"max_completion_tokens\":50,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
				+ "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
				+ "\"Weather of a city\",\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"auto\","
				+ "\"parallel_tool_calls\":false}");
		assertThat(Json.MAPPER.readValue(json, ChatCompletionRequest.class)).isEqualTo(r);
	}

	@Test
	void contentPartsAreReadIntoPartsAndTheirTextJoined() {
		String json = "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
				+ "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\",\"detail\":\"low\"}},"
				+ "{\"type\":\"text\",\"text\":\"Be brief.\"}]}";

		ChatMessage m = Json.MAPPER.readValue(json, ChatMessage.class);

		assertThat(m.content()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.hasSize(3).element(1).isEqualTo(ContentPart.imageUrl("https://example.com/a.png", "low"));
		assertThat(m.text()).isEqualTo("What is this?\nBe brief.");
		assertThat(Json.MAPPER.writeValueAsString(m)).isEqualTo(json);
	}

	@Test
	void contentOfAnotherTypeIsRefusedWithItsType() {
		assertThatThrownBy(() -> new ChatMessage("user", 42, null, null, null, null, Map.of()))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("content must be a String or a List of ContentPart, not java.lang.Integer");
	}

	@Test
	void chunkTextIsTheFirstChoiceDeltaContentOrEmpty() {
		ChatCompletionChunk usageOnly = Json.MAPPER.readValue(
				"{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}",
				ChatCompletionChunk.class);
		ChatCompletionChunk nullContent = Json.MAPPER.readValue(
				"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null},\"finish_reason\":\"stop\"}]}",
				ChatCompletionChunk.class);

		assertThat(usageOnly.text()).isEmpty();
		assertThat(usageOnly.usage()).isEqualTo(Usage.of(1, 2, 3));
		assertThat(nullContent.text()).isEmpty();
		assertThat(ChatCompletionChunk.ofText("m", "Hi", null).text()).isEqualTo("Hi");
	}

	@Test
	void ollamaLinesReadTheirCountsAndDoneFlag() {
		String last = new String(Recording.OLLAMA_GENERATE_STREAM.body()).lines().reduce((a, b) -> b).orElseThrow();

		OllamaGenerateResponse r = Json.MAPPER.readValue(last, OllamaGenerateResponse.class);

		assertThat(r.finished()).isTrue();
		assertThat(r.doneReason()).isEqualTo("stop");
		assertThat(r.promptEvalCount()).isEqualTo(14L);
		assertThat(r.evalCount()).isEqualTo(12L);
		assertThat(r.context()).hasSize(8);
	}
}
