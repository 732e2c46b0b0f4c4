package ai.phospho.reactive.langchain4j;

import java.util.List;
import java.util.Objects;

import dev.langchain4j.data.message.ChatMessage;
import org.jspecify.annotations.Nullable;

/**
 * Hands an AI service's memory id from its request event to the model call that follows on the same
 * thread: LangChain4j fires the event, then calls the model, without passing the id along. An id is
 * given only to the call with the same messages, and taken once.
 */
final class MemoryIds {

	/** The id LangChain4j uses when a method has no {@code @MemoryId}: no conversation of its own. */
	private static final String DEFAULT = "default";
	private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

	private record Pending(List<ChatMessage> messages, Object memoryId) {
	}

	private MemoryIds() {
	}

	static void offer(List<ChatMessage> messages, @Nullable Object memoryId) {
		if (memoryId == null || DEFAULT.equals(memoryId)) {
			PENDING.remove();
		}
		else {
			PENDING.set(new Pending(messages, memoryId));
		}
	}

	/** The memory id offered for these messages on this thread, or {@code null}; cleared in any case. */
	static @Nullable String take(List<ChatMessage> messages) {
		Pending p = PENDING.get();
		if (p == null) {
			return null;
		}
		PENDING.remove();
		return Objects.equals(p.messages(), messages) ? String.valueOf(p.memoryId()) : null;
	}
}
