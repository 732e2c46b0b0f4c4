package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collector;

import org.jspecify.annotations.Nullable;

/**
 * Everything {@link Phospho#logStream(StreamLog)} can record about a streamed task: the options of
 * {@link TaskLog}, a per-chunk text extractor and a stop rule.
 *
 * <pre>{@code
 * chunks.transform(Phospho.logStream(StreamLog.<String>of(query)
 *     .sessionId("s-1")
 *     .metadata(Map.of("always", "moooore"))
 *     .stop(chunk -> chunk.endsWith("[DONE]"))));
 * }</pre>
 *
 * <p>A mutable builder used on one thread; {@code logStream} copies what it holds, so changing the
 * builder afterwards does not change the operator.
 *
 * @param <T> the type of the chunks the callbacks accept
 */
public final class StreamLog<T> {

	final Object input;
	@Nullable String sessionId;
	@Nullable String taskId;
	@Nullable String userId;
	@Nullable String versionId;
	@Nullable Flag flag;
	@Nullable Map<String, Object> metadata;
	@Nullable Map<String, Object> extras;
	boolean rawInputSet;
	@Nullable Object rawInput;
	@Nullable Function<Object, ? extends @Nullable String> inputToString;
	@Nullable Function<? super T, ? extends @Nullable String> outputToString;
	@Nullable Predicate<? super T> stop;
	@Nullable Collector<? super T, ?, ?> rawOutput;
	/** Whether the input comes from the Context ({@link PhosphoContext#input}) when it has one. */
	boolean inputFromContext;

	private StreamLog(Object input) {
		this.input = input;
	}

	/**
	 * A streamed task with this input: a string, an OpenAI request or message list, or any object.
	 *
	 * @throws NullPointerException when {@code input} is null
	 */
	public static <T> StreamLog<T> of(Object input) {
		if (input == null) {
			throw new NullPointerException("input must not be null: log \"\" for a task without input");
		}
		return new StreamLog<>(input);
	}

	/** The session (conversation). Default: the Context's, else a new {@code session_...} id. */
	public StreamLog<T> sessionId(@Nullable String sessionId) {
		this.sessionId = sessionId;
		return this;
	}

	/**
	 * The task's id. Default: the Context's, else a new {@code task_...} id per subscription. A fixed
	 * id makes every subscription log a task with the same id.
	 */
	public StreamLog<T> taskId(@Nullable String taskId) {
		this.taskId = taskId;
		return this;
	}

	public StreamLog<T> userId(@Nullable String userId) {
		this.userId = userId;
		return this;
	}

	/** The app's version. Default: the Context's, else {@link PhosphoOptions#versionId()}. */
	public StreamLog<T> versionId(@Nullable String versionId) {
		this.versionId = versionId;
		return this;
	}

	public StreamLog<T> flag(@Nullable Flag flag) {
		this.flag = flag;
		return this;
	}

	/** Adds these entries to the task's {@code metadata}, over the Context's. */
	public StreamLog<T> metadata(Map<String, ?> metadata) {
		Objects.requireNonNull(metadata, "metadata");
		if (this.metadata == null) {
			this.metadata = new LinkedHashMap<>();
		}
		for (Map.Entry<String, ?> e : metadata.entrySet()) {
			this.metadata.put(Objects.requireNonNull(e.getKey(), "metadata key"), e.getValue());
		}
		return this;
	}

	/**
	 * Adds a top-level key to the event; see {@link TaskLog#put(String, Object)}.
	 *
	 * @throws IllegalArgumentException when {@code key} is a field with its own setter
	 */
	public StreamLog<T> put(String key, @Nullable Object value) {
		Objects.requireNonNull(key, "key");
		if (TaskLog.RESERVED_KEYS.contains(key)) {
			throw new IllegalArgumentException("key '" + key + "' is a field of the event: set it with its own method");
		}
		if (extras == null) {
			extras = new LinkedHashMap<>();
		}
		extras.put(key, value);
		return this;
	}

	/** What to send as {@code raw_input} instead of the input itself. */
	public StreamLog<T> rawInput(@Nullable Object rawInput) {
		this.rawInputSet = true;
		this.rawInput = rawInput;
		return this;
	}

	/** A custom extractor of the input text; if it throws or returns null, the default is used (reported once). */
	public StreamLog<T> inputToString(Function<Object, ? extends @Nullable String> inputToString) {
		this.inputToString = Objects.requireNonNull(inputToString, "inputToString");
		return this;
	}

	/**
	 * A custom extractor of each chunk's text, appended to the output. If it throws or returns null
	 * for a chunk, the default extraction is used for that chunk (reported once).
	 */
	public StreamLog<T> outputToString(Function<? super T, ? extends @Nullable String> outputToString) {
		this.outputToString = Objects.requireNonNull(outputToString, "outputToString");
		return this;
	}

	/**
	 * When to log the task before the stream ends: the first chunk for which {@code stop} is true
	 * ends the task (that chunk included) with {@code stream_status} {@code stopped}. Without it, the
	 * task is logged when the stream completes, fails or is cancelled, or earlier at a provider's
	 * documented last message: an OpenAI usage chunk whose {@code choices} is empty, an Ollama
	 * {@code "done": true}, or the {@code String} {@code "[DONE]"} (not added to the output); that
	 * is a normal end, {@code completed}. A chunk with usage and choices does not end the task.
	 * A predicate that throws ends the task at that chunk, with what was gathered (reported once).
	 */
	public StreamLog<T> stop(Predicate<? super T> stop) {
		this.stop = Objects.requireNonNull(stop, "stop");
		return this;
	}

	/**
	 * Replaces the raw output, by default the list of the chunks' plain forms, with what
	 * {@code collector} makes of the chunks: the completion a chat stream assembles to, say. Each
	 * subscription gets a container of its own. A collector that throws is reported once and the
	 * task is logged without a raw output.
	 */
	public StreamLog<T> rawOutput(Collector<? super T, ?, ?> collector) {
		this.rawOutput = Objects.requireNonNull(collector, "collector");
		return this;
	}

	StreamLog<T> inputFromContext() {
		this.inputFromContext = true;
		return this;
	}

	/** An independent copy: the operator's snapshot. */
	StreamLog<T> copy() {
		StreamLog<T> c = new StreamLog<>(input);
		c.sessionId = sessionId;
		c.taskId = taskId;
		c.userId = userId;
		c.versionId = versionId;
		c.flag = flag;
		c.metadata = metadata == null ? null : TaskMaps.plainMap(metadata, null);
		c.extras = extras == null ? null : TaskMaps.extras(extras, null);
		c.rawInputSet = rawInputSet;
		c.rawInput = rawInput;
		c.inputToString = inputToString;
		c.outputToString = outputToString;
		c.stop = stop;
		c.rawOutput = rawOutput;
		c.inputFromContext = inputFromContext;
		return c;
	}
}
