package ai.phospho.reactive.openai;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import ai.phospho.reactive.PhosphoExtractor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SequenceWriter;

/**
 * Teaches extraction the records of this module and, when it is on the class path, the official
 * {@code com.openai:openai-java} SDK's {@code ChatCompletion}, {@code ChatCompletionChunk} and
 * {@code ChatCompletionCreateParams}: their plain form is their JSON on the wire, so the built-in
 * OpenAI and Ollama rules apply to them exactly as to maps. Registered in
 * {@code META-INF/services/ai.phospho.reactive.PhosphoExtractor}.
 */
public final class OpenAiExtractor implements PhosphoExtractor {

	/** Whether the official SDK is on the class path; its classes are touched only when it is. */
	static final boolean SDK_PRESENT = isPresent("com.openai.models.chat.completions.ChatCompletionChunk");

	@Override
	public @Nullable Object toPlain(Object value) {
		if (isOwnRecord(value)) {
			return Json.MAPPER.valueToTree(value);
		}
		if (SDK_PRESENT && SdkExtraction.isSdkType(value)) {
			return SdkExtraction.toPlain(value);
		}
		return null;
	}

	/**
	 * The same JSON as {@link #toPlain}, written straight from the record or SDK object. The export
	 * worker writes every chunk of a stream to the same {@code out}: one generator serves them all.
	 */
	@Override
	public boolean writeJson(Object value, OutputStream out) throws IOException {
		if (isOwnRecord(value)) {
			Writing w = LAST.getAndSet(null);
			if (w == null || w.out != out) {
				if (w != null) {
					w.close();
				}
				w = new Writing(out);
			}
			try {
				if (value instanceof ChatCompletionChunk c && ChunkWriter.write(w.generator, c)) {
					w.generator.flush();
				}
				else {
					w.values.write(value);
					w.values.flush();
				}
			}
			catch (RuntimeException | Error e) {
				// The generator may be inside the value: not used again.
				w.close();
				throw e;
			}
			LAST.set(w);
			return true;
		}
		if (SDK_PRESENT && SdkExtraction.isSdkType(value)) {
			SdkExtraction.writeJson(value, out);
			return true;
		}
		return false;
	}

	/** The generator of the last stream written, kept for its next chunk (one at a time). */
	private static final AtomicReference<@Nullable Writing> LAST = new AtomicReference<>();

	private static final class Writing {
		final OutputStream out;
		final JsonGenerator generator;
		/** Writes one value after another, its serializers looked up once per type. */
		final SequenceWriter values;

		Writing(OutputStream out) {
			this.out = out;
			this.generator = Json.ROOT_VALUES.createGenerator(out);
			this.values = Json.ROOT_VALUES.writeValues(generator);
		}

		void close() {
			try {
				generator.close();
			}
			catch (RuntimeException e) {
				// Its buffers are lost to the pool, nothing else.
			}
		}
	}

	@Override
	public @Nullable String chunkText(Object chunk) {
		// Chunks with usage or tool calls are read through their plain form, by the built-in rules.
		if (chunk instanceof ChatCompletionChunk c) {
			return c.usage() != null ? null : textWithoutToolCalls(c);
		}
		if (chunk instanceof OllamaGenerateResponse r) {
			return r.finished() ? null : r.text();
		}
		if (chunk instanceof OllamaChatResponse r) {
			return r.finished() || r.message() != null && r.message().toolCalls() != null ? null : r.text();
		}
		if (SDK_PRESENT) {
			return SdkExtraction.chunkText(chunk);
		}
		return null;
	}

	@Override
	public @Nullable Boolean isFinalChunk(Object chunk) {
		if (chunk instanceof ChatCompletionChunk c) {
			return c.usage() != null && c.choices().isEmpty();
		}
		if (chunk instanceof OllamaGenerateResponse r) {
			return r.finished();
		}
		if (chunk instanceof OllamaChatResponse r) {
			return r.finished();
		}
		if (SDK_PRESENT) {
			return SdkExtraction.isFinalChunk(chunk);
		}
		return null;
	}

	/** The chunks of this module's streams, and of the official SDK's when it is there: never a map. */
	@Override
	public boolean readsChunksOf(Class<?> type) {
		return type == ChatCompletionChunk.class || type == OllamaGenerateResponse.class
				|| type == OllamaChatResponse.class || SDK_PRESENT && SdkExtraction.readsChunksOf(type);
	}

	/**
	 * {@link ChatCompletionChunk#text()}, or null when a choice's delta has tool calls. The usual
	 * chunk, one choice, is read in one pass without an iterator: this runs on the stream's thread
	 * for every chunk.
	 */
	private static @Nullable String textWithoutToolCalls(ChatCompletionChunk c) {
		List<ChatCompletionChunk.Choice> choices = c.choices();
		if (choices.size() != 1) {
			return hasToolCalls(c) ? null : c.text();
		}
		ChatCompletionChunk.Choice choice = choices.get(0);
		ChatCompletionChunk.Delta delta = choice.delta();
		if (delta != null && delta.toolCalls() != null) {
			return null;
		}
		Integer index = choice.index();
		return index == null || index == 0 ? ChatCompletionChunk.deltaText(delta) : "";
	}

	/**
	 * None of these chunks ends its stream while it has text: OpenAI's last chunk is the usage chunk,
	 * and Ollama's the {@code done} line, whose texts {@link #chunkText} does not give.
	 */
	@Override
	public boolean textChunksMayEnd(Class<?> type) {
		return !readsChunksOf(type);
	}

	private static boolean hasToolCalls(ChatCompletionChunk c) {
		for (ChatCompletionChunk.Choice choice : c.choices()) {
			if (choice.delta() != null && choice.delta().toolCalls() != null) {
				return true;
			}
		}
		return false;
	}

	private static boolean isOwnRecord(Object value) {
		return value instanceof ChatCompletionRequest || value instanceof ChatCompletion
				|| value instanceof ChatCompletionChunk || value instanceof ChatMessage || value instanceof Usage
				|| value instanceof OllamaGenerateRequest || value instanceof OllamaGenerateResponse
				|| value instanceof OllamaChatRequest || value instanceof OllamaChatResponse
				|| value instanceof OllamaMessage || value instanceof ContentPart || value instanceof ToolCall
				|| value instanceof Tool || value instanceof StreamOptions;
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, OpenAiExtractor.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError e) {
			return false;
		}
	}
}
