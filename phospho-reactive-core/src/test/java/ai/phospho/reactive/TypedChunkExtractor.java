package ai.phospho.reactive;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A test SPI extractor (registered in the test resources) that knows only {@link Chunk}: its
 * chunk text and final-chunk answers differ from what the built-in rules would find in its plain form.
 * It reads chunks of {@link Chunk} only ({@link #readsChunksOf}), and counts the chunks of other
 * classes it is asked about all the same.
 */
public final class TypedChunkExtractor implements PhosphoExtractor {

	/** Calls of {@code chunkText} and {@code isFinalChunk} with a chunk of another class than {@link Chunk}. */
	public static final AtomicInteger ASKED_ABOUT_OTHERS = new AtomicInteger();

	/** A typed chunk of some LLM SDK. */
	public record Chunk(String token, boolean last) {
	}

	/**
	 * A typed chunk whose text, the extractor promises, never ends its stream
	 * ({@link #textChunksMayEnd}): {@code last} on a chunk with text breaks that promise, to show
	 * that such a chunk is not asked about.
	 */
	public record Said(String token, boolean last) implements Counted {
	}

	/** A typed chunk whose {@link #textChunksMayEnd} throws. */
	public record Loud(String token, boolean last) implements Counted {
	}

	/** The chunks whose {@code isFinalChunk} calls are counted ({@link #FINAL_ASKED}). */
	public sealed interface Counted permits Said, Loud {
		String token();

		boolean last();
	}

	/** Calls of {@code isFinalChunk} with a {@link Said} or {@link Loud}. */
	public static final AtomicInteger FINAL_ASKED = new AtomicInteger();

	@Override
	public @Nullable Object toPlain(Object value) {
		if (value instanceof Counted c) {
			return Map.of("token", c.token(), "model", c instanceof Said ? "said-model" : "loud-model");
		}
		return value instanceof Chunk c ? Map.of("token", c.token(), "last", c.last()) : null;
	}

	@Override
	public @Nullable String chunkText(Object chunk) {
		if (!(chunk instanceof Chunk)) {
			ASKED_ABOUT_OTHERS.incrementAndGet();
		}
		if (chunk instanceof Counted c) {
			return c.token();
		}
		return chunk instanceof Chunk c ? c.token() : null;
	}

	@Override
	public @Nullable Boolean isFinalChunk(Object chunk) {
		if (!(chunk instanceof Chunk)) {
			ASKED_ABOUT_OTHERS.incrementAndGet();
		}
		if (chunk instanceof Counted c) {
			FINAL_ASKED.incrementAndGet();
			return c.last();
		}
		return chunk instanceof Chunk c ? c.last() : null;
	}

	@Override
	public boolean readsChunksOf(Class<?> type) {
		return type == Chunk.class || type == Said.class || type == Loud.class;
	}

	@Override
	public boolean textChunksMayEnd(Class<?> type) {
		if (type == Loud.class) {
			throw new IllegalStateException("textChunksMayEnd exploded");
		}
		return type != Said.class;
	}
}
