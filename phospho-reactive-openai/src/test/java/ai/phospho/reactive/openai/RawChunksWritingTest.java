package ai.phospho.reactive.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.internal.DeferredChunks;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.openai.Corpus.Sample;
import com.openai.core.ObjectMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real-traffic recording, as the chunk maps a user's client reads, as this module's records
 * and as the official SDK's objects: the raw output the export worker writes straight from the
 * chunks ({@code DeferredChunks.json()}, through {@link OpenAiExtractor#writeJson} for the typed
 * ones) is byte for byte the JSON of their plain copy, the way it was made before.
 */
class RawChunksWritingTest {

	static final int MAX = 1_000_000;

	static String reference(List<Object> chunks) {
		Object plain = DeferredChunks.plainChunks(chunks, MAX, null);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = ai.phospho.reactive.internal.Json.mapper().createGenerator(out)) {
			EventWriter.writeValue(g, plain);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	/** And each typed chunk is written by the extractor itself, not handed back to the conversion. */
	static void assertWrittenByTheExtractor(List<Object> chunks) throws Exception {
		OpenAiExtractor extractor = new OpenAiExtractor();
		for (Object c : chunks) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			assertThat(extractor.writeJson(c, out)).isTrue();
			String one = reference(List.of(c));
			assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(one.substring(1, one.length() - 1));
		}
	}

	static void assertWrittenAsPlainCopy(List<Object> chunks) {
		assertThat(chunks).isNotEmpty();
		String written = new DeferredChunks(chunks, MAX).json().getValue();
		assertThat(written).isEqualTo(reference(chunks));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#all")
	void chunkMapsAreWrittenAsTheirPlainCopy(Sample s) {
		List<Object> maps = new ArrayList<>(s.maps());
		if (!maps.isEmpty()) {
			assertWrittenAsPlainCopy(maps);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#all")
	void recordsAreWrittenAsTheirPlainCopy(Sample s) throws Exception {
		List<Object> records = new ArrayList<>();
		for (String json : s.wireChunks()) {
			records.add(s.ollama()
					? json.contains("\"message\"") ? Json.MAPPER.readValue(json, OllamaChatResponse.class)
							: Json.MAPPER.readValue(json, OllamaGenerateResponse.class)
					: Json.MAPPER.readValue(json, ChatCompletionChunk.class));
		}
		if (!records.isEmpty()) {
			assertWrittenAsPlainCopy(records);
			assertWrittenByTheExtractor(records);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ai.phospho.reactive.openai.Corpus#openAi")
	void sdkObjectsAreWrittenAsTheirPlainCopy(Sample s) throws Exception {
		List<Object> chunks = new ArrayList<>();
		for (String json : s.wireChunks()) {
			chunks.add(ObjectMappers.jsonMapper().readValue(json,
					com.openai.models.chat.completions.ChatCompletionChunk.class));
		}
		if (!chunks.isEmpty()) {
			assertWrittenAsPlainCopy(chunks);
			assertWrittenByTheExtractor(chunks);
		}
	}

	@Test
	void threadsWritingToTheirOwnStreamsGetTheirOwnValues() throws Exception {
		OpenAiExtractor extractor = new OpenAiExtractor();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int id = t;
				results.add(pool.submit(() -> {
					start.await();
					for (int round = 0; round < 200; round++) {
						ByteArrayOutputStream out = new ByteArrayOutputStream();
						StringBuilder expected = new StringBuilder();
						for (int i = 0; i < 5; i++) {
							ChatCompletionChunk c = ChatCompletionChunk.ofText("m", "t" + id + "-" + round + "-" + i, null);
							assertThat(extractor.writeJson(c, out)).isTrue();
							expected.append(Json.MAPPER.writeValueAsString(c));
						}
						if (!out.toString(StandardCharsets.UTF_8).equals(expected.toString())) {
							return false;
						}
					}
					return true;
				}));
			}
			start.countDown();
			for (Future<Boolean> f : results) {
				assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}
}
