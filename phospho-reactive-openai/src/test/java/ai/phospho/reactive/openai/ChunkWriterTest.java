package ai.phospho.reactive.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.test.openai.Recording;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usual chunk written with the generator's own calls is the bytes of Jackson's bean serialization
 * of it: for every chunk of every recorded stream (OpenAI, Azure, Groq, vLLM, ... as the test kit
 * holds them) and for chunks made with a null or a hostile value in each component; the others
 * (usage, tool calls, log probabilities, unknown fields) are left to Jackson with nothing written.
 */
class ChunkWriterTest {

	private static final String HOSTILE = "quote \" backslash \\ nl \n tab \t nul \u0000 del \u007f é 中 😀 lone \ud800 </script>";

	private static List<ChatCompletionChunk> recorded() {
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		for (Recording r : Recording.values()) {
			if (!r.contentType().startsWith("text/event-stream")) {
				continue;
			}
			SseParser parser = new SseParser();
			List<SseParser.Event> events = new ArrayList<>(parser.feed(r.body()));
			events.addAll(parser.finish());
			for (SseParser.Event e : events) {
				String data = e.data().strip();
				if (data.startsWith("{")) {
					try {
						chunks.add(Json.MAPPER.readValue(data, ChatCompletionChunk.class));
					}
					catch (RuntimeException notAChunk) {
						// An error event: not a chunk.
					}
				}
			}
		}
		return chunks;
	}

	private static List<ChatCompletionChunk> made() {
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		String[] strings = {null, "", "plain", HOSTILE};
		for (String s : strings) {
			chunks.add(ChatCompletionChunk.ofText("gpt-4o-mini", s, null));
			chunks.add(ChatCompletionChunk.ofText(s == null ? "m" : s, "t", s));
			ChatCompletionChunk.Delta delta = new ChatCompletionChunk.Delta(s, s, null, s, Map.of());
			for (Integer index : new Integer[] {null, 0, 1, -7, Integer.MAX_VALUE}) {
				for (Long created : new Long[] {null, 0L, 1_694_268_190L, Long.MIN_VALUE}) {
					chunks.add(new ChatCompletionChunk(s, s, created, s,
							List.of(new ChatCompletionChunk.Choice(index, delta, s, null, Map.of())), null, s, s, Map.of()));
				}
			}
			chunks.add(new ChatCompletionChunk(s, "chat.completion.chunk", 1L, s, List.of(), null, null, null, Map.of()));
			chunks.add(new ChatCompletionChunk(s, null, null, null,
					List.of(new ChatCompletionChunk.Choice(0, null, "stop", null, Map.of()),
							new ChatCompletionChunk.Choice(1, delta, null, null, Map.of())), null, null, null, Map.of()));
		}
		// Not of the usual shape: left to Jackson.
		ChatCompletionChunk.Delta plain = new ChatCompletionChunk.Delta("assistant", "x", null, null, Map.of());
		chunks.add(new ChatCompletionChunk("u", null, null, "m", List.of(), Usage.of(1, 2, 3), null, null, Map.of()));
		chunks.add(new ChatCompletionChunk("x", null, null, "m", List.of(), null, null, null, Map.of("obfuscation", "abc")));
		chunks.add(new ChatCompletionChunk("l", null, null, "m",
				List.of(new ChatCompletionChunk.Choice(0, plain, null, Map.of("content", List.of()), Map.of())), null, null,
				null, Map.of()));
		chunks.add(new ChatCompletionChunk("e", null, null, "m",
				List.of(new ChatCompletionChunk.Choice(0, plain, null, null, Map.of("content_filter_results", Map.of()))),
				null, null, null, Map.of()));
		chunks.add(new ChatCompletionChunk("d", null, null, "m",
				List.of(new ChatCompletionChunk.Choice(0,
						new ChatCompletionChunk.Delta(null, null, null, null, Map.of("reasoning_content", "r")), null, null,
						Map.of())), null, null, null, Map.of()));
		chunks.add(new ChatCompletionChunk("t", null, null, "m",
				List.of(new ChatCompletionChunk.Choice(0,
						new ChatCompletionChunk.Delta(null, null, List.of(), null, Map.of()), null, null, Map.of())),
				null, null, null, Map.of()));
		return chunks;
	}

	private static byte[] written(ChatCompletionChunk c, boolean[] direct) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = Json.ROOT_VALUES.createGenerator(out)) {
			direct[0] = ChunkWriter.write(g, c);
		}
		return out.toByteArray();
	}

	@Test
	void theUsualChunkIsWrittenAsJacksonWritesIt() {
		List<ChatCompletionChunk> chunks = new ArrayList<>(recorded());
		int recorded = chunks.size();
		assertThat(recorded).as("recorded chunks").isGreaterThan(100);
		chunks.addAll(made());
		int direct = 0;
		for (ChatCompletionChunk c : chunks) {
			boolean[] wrote = new boolean[1];
			byte[] bytes = written(c, wrote);
			if (wrote[0]) {
				direct++;
				assertThat(new String(bytes, StandardCharsets.UTF_8))
						.isEqualTo(new String(Json.MAPPER.writeValueAsBytes(c), StandardCharsets.UTF_8));
				assertThat(bytes).isEqualTo(Json.MAPPER.writeValueAsBytes(c));
			}
			else {
				assertThat(bytes).as("nothing written for %s", c).isEmpty();
			}
		}
		// Most recorded chunks are of the usual shape; the others are left to Jackson.
		assertThat(direct).isGreaterThan(recorded / 2).isLessThan(chunks.size());
	}

	@Test
	void aStreamOfUsualAndOtherChunksIsWrittenAsOneValueAfterAnother() throws IOException {
		List<ChatCompletionChunk> chunks = new ArrayList<>(recorded());
		chunks.addAll(made());
		// Interleaved: the extractor's generator serves both ways in turn.
		ChatCompletionChunk[] all = chunks.toArray(new ChatCompletionChunk[0]);
		for (int i = 0; i < all.length; i += 3) {
			int j = all.length - 1 - i;
			ChatCompletionChunk t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		OpenAiExtractor extractor = new OpenAiExtractor();
		for (ChatCompletionChunk c : Arrays.asList(all)) {
			assertThat(extractor.writeJson(c, out)).isTrue();
			expected.write(Json.MAPPER.writeValueAsBytes(c));
			assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
		}
	}

}
