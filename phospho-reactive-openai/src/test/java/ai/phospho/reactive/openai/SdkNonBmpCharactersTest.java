package ai.phospho.reactive.openai;

import java.util.List;

import ai.phospho.reactive.internal.DeferredChunks;
import com.openai.core.ObjectMappers;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Characters outside the BMP in an SDK object: written by {@link OpenAiExtractor#writeJson} through Jackson 2. */
class SdkNonBmpCharactersTest {

	static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
			+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"emoji \\uD83D\\uDE00 lone \\uD800 after\"},"
			+ "\"finish_reason\":null}]}";

	@Test
	@Disabled("Not byte for byte: Jackson 2 on a byte stream escapes an emoji as \\uD83D\\uDE00 (12 bytes) where the "
			+ "plain copy has its 4 UTF-8 bytes; the same string once parsed, but counted 3 times against the cap. Do not "
			+ "fix with JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8: in Jackson 2.18.9 it combines a lone high "
			+ "surrogate with the next character (\\uD800 + ' ' -> U+10020, the space lost)")
	void anSdkChunkWithAnEmojiIsWrittenAsThePlainCopy() throws Exception {
		Object sdk = ObjectMappers.jsonMapper().readValue(CHUNK,
				com.openai.models.chat.completions.ChatCompletionChunk.class);
		String got = new DeferredChunks(List.of(sdk), 1_000_000).json().getValue();
		assertThat(got).isEqualTo(RawChunksWritingTest.reference(List.of(sdk)));
	}

	@Test
	void anSdkChunkWithAnEmojiOrALoneSurrogateReadsBackAsThePlainCopy() throws Exception {
		Object sdk = ObjectMappers.jsonMapper().readValue(CHUNK,
				com.openai.models.chat.completions.ChatCompletionChunk.class);
		assertThat(new DeferredChunks(List.of(sdk), 1_000_000).get())
				.isEqualTo(DeferredChunks.plainChunks(List.of(sdk), 1_000_000, null));
	}

	@Test
	void aRecordChunkWithAnEmojiIsWrittenAsThePlainCopy() throws Exception {
		Object rec = Json.MAPPER.readValue(CHUNK, ChatCompletionChunk.class);
		assertThat(new DeferredChunks(List.of(rec), 1_000_000).json().getValue())
				.isEqualTo(RawChunksWritingTest.reference(List.of(rec)));
	}
}
