package ai.phospho.reactive.openai;

import java.io.IOException;
import java.io.OutputStream;

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

	/** What the SDK sends for an object: a request's body, or the object itself. */
	private static Object body(Object value) {
		return value instanceof ChatCompletionCreateParams p ? p._body() : value;
	}

	/** The wire JSON of an SDK object, read back as a Jackson 3 tree. */
	static Object toPlain(Object value) {
		try {
			String json = ObjectMappers.jsonMapper().writeValueAsString(body(value));
			return Json.MAPPER.readTree(json);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException e) {
			throw new IllegalArgumentException("the SDK could not write its " + value.getClass().getSimpleName()
					+ " as JSON: " + e.getOriginalMessage(), e);
		}
	}

	/** The wire JSON of an SDK object, written by the SDK's own mapper. */
	static void writeJson(Object value, OutputStream out) throws IOException {
		ObjectMappers.jsonMapper().writeValue(out, body(value));
	}

	/** The text of choice 0's delta; {@code null} for a chunk with usage or tool calls, read as JSON. */
	static @Nullable String chunkText(Object chunk) {
		if (!(chunk instanceof ChatCompletionChunk c)) {
			return null;
		}
		if (c.usage().isPresent()) {
			return null;
		}
		for (ChatCompletionChunk.Choice choice : c.choices()) {
			if (choice.delta().toolCalls().isPresent()) {
				return null;
			}
		}
		for (ChatCompletionChunk.Choice choice : c.choices()) {
			if (choice.index() == 0) {
				return choice.delta().content().orElse("") + choice.delta().refusal().orElse("");
			}
		}
		return "";
	}

	/** Whether chunks of this class may be the SDK's chunks ({@link #chunkText}, {@link #isFinalChunk}). */
	static boolean readsChunksOf(Class<?> type) {
		return ChatCompletionChunk.class.isAssignableFrom(type);
	}

	static @Nullable Boolean isFinalChunk(Object chunk) {
		if (!(chunk instanceof ChatCompletionChunk c)) {
			return null;
		}
		return c.usage().isPresent() && c.choices().isEmpty();
	}
}
