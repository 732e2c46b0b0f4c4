package ai.phospho.reactive;

import java.io.IOException;
import java.io.OutputStream;

import org.jspecify.annotations.Nullable;

/**
 * Service-provider interface that teaches extraction about types it does not know, such as the
 * typed responses of an LLM SDK. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/ai.phospho.reactive.PhosphoExtractor}) and asked in {@link #order()}
 * before the built-in rules.
 *
 * <p>The one required method turns a value into its plain JSON form (a {@code Map}, {@code List},
 * {@code String}, number or boolean): the built-in rules for OpenAI and Ollama maps then apply to it.
 * The other methods are shortcuts that skip that conversion, chunk text above all: it runs once
 * per streamed chunk.
 *
 * <p>Every method returns {@code null} for a value it does not know. A method that throws is
 * reported once and skipped.
 */
public interface PhosphoExtractor {

	/** The plain JSON form of {@code value}, or {@code null} when this extractor does not know it. */
	@Nullable Object toPlain(Object value);

	/**
	 * The text of one streamed chunk, or {@code null} to use {@link #toPlain(Object)} and the built-in
	 * rules. A chunk whose text is given here is not converted, so its usage and tool calls are not
	 * read: return {@code null} for a chunk that carries them (a usage chunk, a tool call fragment).
	 */
	default @Nullable String chunkText(Object chunk) {
		return null;
	}

	/**
	 * Whether a chunk ends its stream under the default stop rule, or {@code null} to use
	 * {@link #toPlain(Object)} and the built-in rule. Only a provider's documented last message is
	 * one (OpenAI's usage chunk with no choices, Ollama's {@code done}): the stream's own end logs
	 * the task anyway.
	 */
	default @Nullable Boolean isFinalChunk(Object chunk) {
		return null;
	}

	/**
	 * Writes {@code value} to {@code out} as one JSON value, the JSON that the result of
	 * {@link #toPlain(Object)} is written as, and returns {@code true}; or writes nothing and returns
	 * {@code false} when this extractor does not know the value. A shortcut for the export worker: a
	 * streamed chunk is then written into its event once, without a plain copy (for a typed chunk,
	 * the copy costs several times the JSON). Write with a JSON library, for example Jackson's
	 * {@code mapper.writeValue(out, value)}; closing {@code out} does nothing.
	 *
	 * <p>The output must be one JSON value in UTF-8 on one line: it is read back once with a
	 * streaming parser (a value that is not one, is not UTF-8 or spans lines is converted with
	 * {@link #toPlain(Object)} instead and reported once). {@code out} takes bytes only during the
	 * call. Writing JSON {@code null} says that the value's plain form is null, not that the value is
	 * unknown: return {@code false} for that.
	 *
	 * <p>The worker bounds what it keeps: {@code out} stops taking bytes (throws) once the raw
	 * output's cap is passed, and the chunk is then left out. Anything else this method throws is
	 * reported once, and the chunk is converted with {@link #toPlain(Object)} instead.
	 */
	default boolean writeJson(Object value, OutputStream out) throws IOException {
		return false;
	}

	/**
	 * Whether a chunk of this class for which {@link #chunkText(Object)} gives a non-empty text may
	 * end its stream: asked once per class, when this extractor is the only one that reads its chunks
	 * ({@link #readsChunksOf}). {@code false} promises that {@link #isFinalChunk(Object)} returns
	 * {@code false} or {@code null} for every such chunk, as it does for providers whose last message
	 * carries no text (OpenAI's usage chunk, Ollama's {@code done} line) or that end their streams
	 * themselves: in a stream without a raw-output collector or stop predicate, it is then no longer
	 * called for such chunks once the model is known (or no longer looked for), which saves the
	 * stream's thread a call per chunk. The default, {@code true}, asks for every chunk.
	 */
	default boolean textChunksMayEnd(Class<?> type) {
		return true;
	}

	/** Extractors with a lower order are asked first. */
	default int order() {
		return 0;
	}

	/**
	 * Whether {@link #chunkText(Object)} or {@link #isFinalChunk(Object)} may answer for streamed
	 * chunks of this class, asked once per class. {@code false} promises that both return
	 * {@code null} for every chunk of it: they are then not called for its chunks, which costs a
	 * stream nothing per chunk for this extractor. The default, {@code true}, asks for every chunk.
	 */
	default boolean readsChunksOf(Class<?> type) {
		return true;
	}
}
