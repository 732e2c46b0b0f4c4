package ai.phospho.reactive.openai;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.jspecify.annotations.Nullable;

/**
 * Extraction for the official SDK's types, by their own JSON: no reflection. Loaded only when
 * {@link OpenAiExtractor#SDK_PRESENT}, so the module works without the SDK.
 */
final class SdkExtraction {

	private SdkExtraction() {
	}

	static boolean isSdkType(Object value) {
		return value instanceof ChatCompletion || value instanceof ChatCompletionChunk
				|| value instanceof ChatCompletionCreateParams;
	}

	/** The wire JSON of an SDK object, read back as a Jackson 3 tree. */
	static Object toPlain(Object value) {
		Object body = value instanceof ChatCompletionCreateParams p ? p._body() : value;
		try {
			String json = ObjectMappers.jsonMapper().writeValueAsString(body);
			return Json.MAPPER.readTree(json);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException e) {
			throw new IllegalArgumentException("the SDK could not write its " + value.getClass().getSimpleName()
					+ " as JSON: " + e.getOriginalMessage(), e);
		}
	}

	static @Nullable String chunkText(Object chunk) {
		if (!(chunk instanceof ChatCompletionChunk c)) {
			return null;
		}
		if (c.choices().isEmpty()) {
			return "";
		}
		return c.choices().get(0).delta().content().orElse("");
	}

	static @Nullable Boolean isFinalChunk(Object chunk) {
		if (!(chunk instanceof ChatCompletionChunk c)) {
			return null;
		}
		return c.usage().isPresent();
	}
}
