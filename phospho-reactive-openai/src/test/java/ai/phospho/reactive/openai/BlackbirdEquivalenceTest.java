package ai.phospho.reactive.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records read and written through Blackbird are those databind's reflection reads and writes:
 * every recording's bodies, events and lines, and hostile documents (nulls everywhere, unknown keys
 * and null unknown values, values of the wrong type, a missing required component).
 */
class BlackbirdEquivalenceTest {

	private static final JsonMapper PLAIN = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.build();

	private static final List<Class<?>> TYPES = List.of(ChatCompletion.class, ChatCompletionChunk.class,
			ChatCompletionRequest.class, ChatMessage.class, ContentPart.class, OllamaChatRequest.class,
			OllamaChatResponse.class, OllamaGenerateRequest.class, OllamaGenerateResponse.class, OllamaMessage.class,
			StreamOptions.class, Tool.class, ToolCall.class, Usage.class);

	private static List<String> documents() {
		List<String> docs = new ArrayList<>();
		for (Recording r : Recording.values()) {
			String body = new String(r.body(), StandardCharsets.UTF_8);
			if (r.contentType().startsWith("text/event-stream")) {
				SseParser parser = new SseParser();
				List<SseParser.Event> events = new ArrayList<>(parser.feed(r.body()));
				events.addAll(parser.finish());
				for (SseParser.Event e : events) {
					if (!e.data().strip().equals("[DONE]")) {
						docs.add(e.data());
					}
				}
			}
			else if (r.contentType().startsWith("application/x-ndjson")) {
				body.lines().filter(l -> !l.isBlank()).forEach(docs::add);
			}
			else {
				docs.add(body);
			}
		}
		docs.add("{}");
		docs.add("{\"id\":null,\"object\":null,\"created\":null,\"model\":null,\"choices\":null,\"usage\":null,"
				+ "\"role\":null,\"content\":null,\"type\":null,\"text\":null,\"done\":null,\"messages\":null,"
				+ "\"function\":null,\"tool_calls\":null,\"prompt_tokens\":null,\"unknown\":null,\"x\":{\"y\":null}}");
		docs.add("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\",\"z\":1},\"b\"],\"q\":[null],"
				+ "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"c\"}],\"created\":\"12\","
				+ "\"prompt_tokens\":\"3\",\"done\":\"true\",\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"d\"}}],"
				+ "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"},\"w\":1.5e300}");
		docs.add("{\"created\":\"not a number\",\"prompt_tokens\":[1],\"done\":{},\"choices\":{},\"role\":7}");
		return docs;
	}

	@Test
	void blackbirdReadsAndWritesTheRecordsAsReflectionDoes() {
		assertThat(Json.MAPPER.registeredModules()).as("Blackbird on the class path")
				.anyMatch(m -> m instanceof BlackbirdModule);
		int compared = 0;
		for (String doc : documents()) {
			for (Class<?> type : TYPES) {
				Object expected;
				try {
					expected = PLAIN.readValue(doc, type);
				}
				catch (RuntimeException e) {
					Class<?> failure = e.getClass();
					String message = e.getMessage();
					try {
						Json.MAPPER.readValue(doc, type);
					}
					catch (RuntimeException bb) {
						assertThat(bb).as("%s from %s", type.getSimpleName(), doc).isInstanceOf(failure);
						assertThat(bb.getMessage()).isEqualTo(message);
						continue;
					}
					throw new AssertionError("Blackbird read " + type.getSimpleName() + " that reflection refused: "
							+ doc, e);
				}
				Object actual = Json.MAPPER.readValue(doc, type);
				assertThat(actual).as("%s from %s", type.getSimpleName(), doc).isEqualTo(expected);
				assertThat(Json.MAPPER.writeValueAsString(actual)).as("%s from %s", type.getSimpleName(), doc)
						.isEqualTo(PLAIN.writeValueAsString(expected));
				compared++;
			}
		}
		assertThat(compared).isGreaterThan(500);
	}
}
