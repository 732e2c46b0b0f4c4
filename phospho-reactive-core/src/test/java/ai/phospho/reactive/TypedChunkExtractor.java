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

	@Override
	public @Nullable Object toPlain(Object value) {
		return value instanceof Chunk c ? Map.of("token", c.token(), "last", c.last()) : null;
	}

	@Override
	public @Nullable String chunkText(Object chunk) {
		if (!(chunk instanceof Chunk)) {
			ASKED_ABOUT_OTHERS.incrementAndGet();
		}
		return chunk instanceof Chunk c ? c.token() : null;
	}

	@Override
	public @Nullable Boolean isFinalChunk(Object chunk) {
		if (!(chunk instanceof Chunk)) {
			ASKED_ABOUT_OTHERS.incrementAndGet();
		}
		return chunk instanceof Chunk c ? c.last() : null;
	}

	@Override
	public boolean readsChunksOf(Class<?> type) {
		return type == Chunk.class;
	}
}
