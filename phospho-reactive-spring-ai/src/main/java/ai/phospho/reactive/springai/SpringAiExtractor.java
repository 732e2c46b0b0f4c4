package ai.phospho.reactive.springai;

import ai.phospho.reactive.PhosphoExtractor;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Teaches the core's extraction Spring AI's types, found by {@link java.util.ServiceLoader}: a
 * {@link ChatClientResponse} or {@link ChatResponse} reads as an OpenAI {@code chat.completion.chunk}
 * (each element of a stream is one), a {@link Prompt} as a chat request. Not for direct use.
 */
public final class SpringAiExtractor implements PhosphoExtractor {

	/** For {@link java.util.ServiceLoader}. */
	public SpringAiExtractor() {
	}

	@Override
	public @Nullable Object toPlain(Object value) {
		if (value instanceof ChatClientResponse r) {
			return SpringAiShapes.chunk(r.chatResponse());
		}
		if (value instanceof ChatResponse r) {
			return SpringAiShapes.chunk(r);
		}
		if (value instanceof Prompt p) {
			return SpringAiShapes.request(p);
		}
		return null;
	}

	@Override
	public @Nullable String chunkText(Object chunk) {
		if (chunk instanceof ChatClientResponse r) {
			return SpringAiShapes.plainChunkText(r.chatResponse());
		}
		if (chunk instanceof ChatResponse r) {
			return SpringAiShapes.plainChunkText(r);
		}
		return null;
	}

	/** Spring AI ends its streams itself: no element is a last message to stop at. */
	@Override
	public @Nullable Boolean isFinalChunk(Object chunk) {
		return chunk instanceof ChatClientResponse || chunk instanceof ChatResponse ? Boolean.FALSE : null;
	}

	/** Spring AI's responses only: the chunks of other streams cost nothing here. */
	@Override
	public boolean readsChunksOf(Class<?> type) {
		return ChatClientResponse.class.isAssignableFrom(type) || ChatResponse.class.isAssignableFrom(type);
	}

	/** No response ends its stream ({@link #isFinalChunk}). */
	@Override
	public boolean textChunksMayEnd(Class<?> type) {
		return !readsChunksOf(type);
	}
}
