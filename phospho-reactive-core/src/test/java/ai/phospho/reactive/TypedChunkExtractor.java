package ai.phospho.reactive;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A test SPI extractor (registered in the test resources) that knows only {@link Chunk}: its
 * chunk text and final-chunk answers differ from what the built-in rules would find in its plain form.
 */
public final class TypedChunkExtractor implements PhosphoExtractor {

	/** A typed chunk of some LLM SDK. */
	public record Chunk(String token, boolean last) {
	}

	@Override
	public @Nullable Object toPlain(Object value) {
		return value instanceof Chunk c ? Map.of("token", c.token(), "last", c.last()) : null;
	}

	@Override
	public @Nullable String chunkText(Object chunk) {
		return chunk instanceof Chunk c ? c.token() : null;
	}

	@Override
	public @Nullable Boolean isFinalChunk(Object chunk) {
		return chunk instanceof Chunk c ? c.last() : null;
	}
}
