package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collector;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Extraction;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RawShapes;
import ai.phospho.reactive.internal.StreamFacts;
import org.jspecify.annotations.Nullable;

/**
 * What one subscription of a captured stream gathers, and the task it becomes. Chunks come from
 * the signal thread ({@link #chunk}); the task is built once ({@link #emit}), by that thread or by
 * a concurrent cancel, which reads a consistent prefix of {@link Chunks} without stopping the
 * signal thread.
 *
 * <p>A {@code String} chunk costs two array slots and a release store: no lock, no
 * read-modify-write, no plain form, no clock. A {@code Map} chunk's text is read in place; other
 * chunks go through the extractor SPI, or are converted. Chunks are kept by reference and made
 * plain on the export worker ({@link DeferredChunks}); a chunk mutated after it was emitted may
 * be logged as mutated.
 */
final class StreamCapture<T> {

	/** How a captured stream ended, as the {@code stream_status} metadata value. */
	enum Status {
		COMPLETED("completed"), STOPPED("stopped"), CANCELLED("cancelled"), ERROR("error");

		final String wire;

		Status(String wire) {
			this.wire = wire;
		}
	}

	private static final PhosphoExtractor[] EXTRACTORS = Plain.extractors().toArray(new PhosphoExtractor[0]);
	/** OpenAI's last event, as a client that passes SSE data on as strings exposes it. */
	private static final String DONE = "[DONE]";
	/** How many chunks that an extractor reads without their plain form are converted to find the model. */
	private static final int MODEL_LOOKUPS = 4;

	private final PhosphoClient client;
	private final StreamLog<T> spec;
	private final ContextValues context;
	/** A {@code Mono}: the one value is the output, as {@code Phospho.log} would extract it. */
	private final boolean mono;
	private final int maxChars;
	private final long startMillis;
	private final long startNanos;

	/** The raw-output collector of {@link StreamLog#rawOutput}, or null for the list of chunks. */
	private final @Nullable Collector<? super T, Object, ?> collector;
	private @Nullable Object container;

	private final Chunks chunks;
	/** Model, usage and tool calls: written before {@link Chunks} publishes the chunk. */
	private final StreamFacts facts;
	private int modelLookups;
	/** Written at the first chunk, before {@link Chunks} publishes it. */
	private long firstNanos;
	private volatile @Nullable String callbackError;
	/** Whether the value of a {@code Mono} was cut while it was converted; published by {@link #monoValue}. */
	private boolean valueTruncated;
	/** The value of a {@code Mono}, published whole. */
	private volatile @Nullable MonoValue monoValue;
	/** Whether the task was built: a collector is no longer fed. Guarded by {@code this}. */
	private boolean built;

	StreamCapture(PhosphoClient client, StreamLog<T> spec, ContextValues context, boolean mono) {
		this.client = client;
		this.spec = spec;
		this.context = context;
		this.mono = mono;
		this.maxChars = client.options().maxFieldChars();
		this.startMillis = System.currentTimeMillis();
		this.startNanos = System.nanoTime();
		this.chunks = new Chunks(maxChars);
		this.facts = new StreamFacts(maxChars);
		this.collector = collectorOf(spec);
		if (collector != null) {
			try {
				container = collector.supplier().get();
			}
			catch (RuntimeException | LinkageError e) {
				collectorFailed(e);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> @Nullable Collector<? super T, Object, ?> collectorOf(StreamLog<T> spec) {
		return (Collector<? super T, Object, ?>) spec.rawOutput;
	}

	private void collectorFailed(Throwable e) {
		container = null;
		Object c = spec.rawOutput;
		String name = c == null ? "collector" : c.getClass().getName();
		Callbacks.reportOnce("rawOutput:" + name, "phospho: raw output collector " + name
				+ " threw; the task is logged without a raw output", e);
	}

	/**
	 * Gathers one chunk; never throws.
	 *
	 * @return how the stream ends at this chunk, or {@code null} when it goes on
	 */
	@Nullable Status chunk(T t) {
		if (firstNanos == 0) {
			firstNanos = System.nanoTime();
		}
		if (mono) {
			value(t);
			return Status.COMPLETED;
		}
		if (t instanceof String s && spec.outputToString == null) {
			if (spec.stop == null && s.length() == DONE.length() && s.equals(DONE)) {
				// OpenAI's sentinel ends the task; it is not text of the output.
				chunks.add(s, "", s.length() + 3L);
				if (collector != null) {
					collect(t);
				}
				return Status.COMPLETED;
			}
			// The hot path: the chunk is its own text.
			chunks.add(s, s, s.length() + 3L);
			if (collector != null) {
				collect(t);
			}
			// No other default rule ends a stream of plain strings: only a stop predicate does.
			return spec.stop != null ? stop(t) : null;
		}
		return other(t);
	}

	/**
	 * A chunk that is not a plain {@code String}: its text from the custom extractor, the SPI's fast
	 * path, or the built-in rules read in place for a {@code Map} (converted only for other types).
	 * Model, usage and tool calls are read from the same form ({@link StreamFacts}); a chunk the SPI
	 * reads without conversion is converted only while no model is known, a few times at most. The
	 * chunk is kept by reference; its plain copy is made on the export worker (see
	 * {@link DeferredChunks}).
	 */
	private @Nullable Status other(T t) {
		String s = null;
		if (spec.outputToString != null) {
			s = Callbacks.applyText("outputToString", spec.outputToString, t);
		}
		Object view = t instanceof Map<?, ?> ? t : null;
		if (t instanceof String str) {
			if (s == null) {
				s = str;
			}
		}
		else if (view == null) {
			String fast = spiChunkText(t);
			if (fast == null) {
				view = Plain.of(t, new Plain.Budget(maxChars));
			}
			else {
				if (s == null) {
					s = fast;
				}
				if (!facts.hasModel() && modelLookups < MODEL_LOOKUPS) {
					modelLookups++;
					Object plain = Plain.of(t, new Plain.Budget(maxChars));
					if (plain != null) {
						addFacts(plain);
					}
				}
			}
		}
		if (view != null) {
			addFacts(view);
			if (s == null) {
				s = textOf(view);
			}
		}
		if (s == null) {
			s = ""; // a chunk whose plain form is null has no text
		}
		chunks.add(t, s, rawSize(view, s));
		if (collector != null) {
			collect(t);
		}
		if (spec.stop != null) {
			return stop(t);
		}
		try {
			return isFinal(t, view);
		}
		catch (Throwable e) {
			failed("reading a chunk", e);
			return null;
		}
	}

	/** Model, usage and tool calls of a chunk; a map that throws when read gives none. */
	private void addFacts(Object view) {
		try {
			facts.add(view);
		}
		catch (Throwable e) {
			failed("reading a chunk", e);
		}
	}

	/**
	 * The chunk's size in the event, so that the chunks kept are bounded by what they hold, text or
	 * not: measured on the plain form or the map (the walk stops at the cap); a type that an
	 * extractor reads without converting it counts its text and {@value #TYPED_CHUNK_OVERHEAD}.
	 */
	private long rawSize(@Nullable Object view, String text) {
		if (view instanceof Map<?, ?> || view instanceof List<?> || view instanceof String) {
			try {
				return EventWriter.roughSize(view, maxChars + 1L) + 1;
			}
			catch (Throwable e) {
				failed("measuring a chunk", e);
			}
		}
		return text.length() + TYPED_CHUNK_OVERHEAD;
	}

	/** What a typed chunk holds besides its text, as counted against the raw output's cap. */
	static final int TYPED_CHUNK_OVERHEAD = 256;

	/** The built-in rules, read in place on a map: a map that throws when read (a key of another type) has no text. */
	private String textOf(Object chunk) {
		try {
			return Extraction.chunkText(chunk);
		}
		catch (Throwable e) {
			failed("reading a chunk", e);
			return "";
		}
	}

	/**
	 * Capture failed on something the library does (reading a chunk, assembling the task): the
	 * stream never sees it; the task is logged with what could be read, says so in
	 * {@code capture_error}, and is counted in {@code stats().captureErrors()}. Reported once per cause.
	 */
	void failed(String what, Throwable e) {
		Failures.throwIfFatal(e);
		String reason = what + " threw " + Failures.describe(e);
		if (callbackError == null) {
			callbackError = reason;
		}
		Callbacks.reportOnce("capture:" + e.getClass().getName(), "phospho: " + what
				+ " failed; the task is logged with what could be read", e);
	}

	private @Nullable Status stop(T t) {
		Predicate<? super T> stop = spec.stop;
		try {
			return stop != null && stop.test(t) ? Status.STOPPED : null;
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			callbackError = "stop predicate " + stop.getClass().getName() + " threw " + Failures.describe(e);
			Callbacks.reportOnce("stop:" + stop.getClass().getName(), "phospho: " + callbackError
					+ "; the task is logged with the chunks gathered so far", e);
			return Status.STOPPED;
		}
	}

	private void value(T t) {
		Plain.Budget budget = new Plain.Budget(maxChars);
		Object plain = Plain.of(t, budget);
		valueTruncated = budget.truncated();
		String s = null;
		if (spec.outputToString != null) {
			s = Callbacks.applyText("outputToString", spec.outputToString, t);
		}
		monoValue = new MonoValue(s != null ? s : Extraction.outputText(plain), plain, Tasks.typeName(t),
				Extraction.usage(plain), Extraction.modelOf(plain));
	}

	private record MonoValue(@Nullable String text, @Nullable Object plain, @Nullable String typeName,
			@Nullable Map<String, Object> usage, @Nullable String model) {
	}

	/** A collector's container is not thread-safe: fed and finished under this lock (not the hot path). */
	private synchronized void collect(T t) {
		Collector<? super T, Object, ?> c = collector;
		if (c == null || container == null || built) {
			return;
		}
		try {
			c.accumulator().accept(container, t);
		}
		catch (RuntimeException | LinkageError e) {
			collectorFailed(e);
		}
	}

	private synchronized @Nullable Object collected() {
		built = true;
		Collector<? super T, Object, ?> c = collector;
		if (c == null || container == null) {
			return null;
		}
		try {
			return c.finisher().apply(container);
		}
		catch (RuntimeException | LinkageError e) {
			collectorFailed(e);
			return null;
		}
	}

	private static @Nullable String spiChunkText(Object chunk) {
		for (PhosphoExtractor e : EXTRACTORS) {
			try {
				String s = e.chunkText(chunk);
				if (s != null) {
					return s;
				}
			}
			catch (RuntimeException | LinkageError ex) {
				Callbacks.reportOnce("chunkText:" + e.getClass().getName(),
						"phospho: PhosphoExtractor " + e.getClass().getName() + ".chunkText threw; it is skipped", ex);
			}
		}
		return null;
	}

	/**
	 * The default stop rule, a provider's documented last message: the extractors first, then the
	 * built-in rule on the plain form or the map. The stream ended normally: {@code completed}.
	 */
	private static @Nullable Status isFinal(Object chunk, @Nullable Object plain) {
		return isFinalChunk(chunk, plain) ? Status.COMPLETED : null;
	}

	private static boolean isFinalChunk(Object chunk, @Nullable Object plain) {
		for (PhosphoExtractor e : EXTRACTORS) {
			try {
				Boolean b = e.isFinalChunk(chunk);
				if (b != null) {
					return b;
				}
			}
			catch (RuntimeException | LinkageError ex) {
				Callbacks.reportOnce("isFinalChunk:" + e.getClass().getName(),
						"phospho: PhosphoExtractor " + e.getClass().getName() + ".isFinalChunk threw; it is skipped", ex);
			}
		}
		return Extraction.isFinalChunk(plain != null ? plain : chunk);
	}

	/** Builds the task and queues it; never throws but for a JVM error. */
	void emit(Status status, @Nullable Throwable error) {
		LoggedTask task;
		try {
			task = build(status, error);
		}
		catch (Throwable e) {
			failed("assembling the task", e);
			task = fallback(status);
		}
		if (callbackError != null) {
			client.captureFailed();
		}
		client.submit(task);
	}

	/** The task when it could not be assembled: its identity, status and the reason, without content. */
	private LoggedTask fallback(Status status) {
		TaskDraft d = new TaskDraft();
		d.clientCreatedAt = startMillis / 1000;
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("stream_status", status.wire);
		metadata.put(Tasks.CAPTURE_ERROR, String.valueOf(callbackError));
		d.metadata = metadata;
		Tasks.fillIdentity(d, client.options(), context, spec.sessionId, spec.taskId, spec.userId, spec.versionId);
		return d.build();
	}

	private LoggedTask build(Status status, @Nullable Throwable error) {
		long end = System.nanoTime();
		TaskDraft d = new TaskDraft();
		d.clientCreatedAt = startMillis / 1000;
		Object input = spec.inputFromContext && context.input() != null ? context.input() : spec.input;
		Plain.Budget budget = new Plain.Budget(maxChars);
		Object plainIn = Plain.of(input, budget);
		String inputText = null;
		if (spec.inputToString != null) {
			inputText = Callbacks.applyText("inputToString", spec.inputToString, input);
		}
		d.input = inputText != null ? inputText : Extraction.inputText(plainIn);
		d.systemPrompt = Extraction.systemPrompt(plainIn);
		d.rawInput = RawShapes.fit(spec.rawInputSet ? Plain.of(spec.rawInput, budget) : plainIn, false);
		d.rawInputTypeName = Tasks.typeName(spec.rawInputSet ? spec.rawInput : input);
		Map<String, Object> usage = null;
		String model = null;
		Chunks.Snapshot got = mono ? null : chunks.snapshot();
		boolean truncated = got != null && got.truncated();
		MonoValue value = monoValue;
		if (value != null) {
			d.output = value.text();
			d.rawOutput = RawShapes.fit(value.plain(), true);
			d.rawOutputTypeName = value.typeName();
			usage = value.usage();
			model = value.model();
		}
		else if (got != null && got.count() > 0) {
			d.output = facts.output(got.text());
			if (collector != null) {
				Object assembled = collected();
				d.rawOutput = RawShapes.fit(Plain.of(assembled, budget), true);
				d.rawOutputTypeName = Tasks.typeName(assembled);
			}
			else {
				// Converted to plain forms on the export worker, not on the stream's thread.
				d.rawOutput = new DeferredChunks(got.raw(), maxChars);
				d.rawOutputTypeName = "Flux";
			}
			usage = facts.usage();
			model = facts.model();
			Object last = got.last();
			if (usage == null && last != null && !(last instanceof Map<?, ?>) && !(last instanceof String)) {
				// An extractor that reads chunks without their plain form: the usage of the last chunk.
				usage = Extraction.usage(Plain.of(last, new Plain.Budget(maxChars)));
			}
			// The last chunk's time, to the second: the task is built at it, or at the cancel that
			// ended the stream (reading the clock per chunk would cost more than the chunk itself).
			d.lastUpdate = (startMillis + (end - startNanos) / 1_000_000) / 1000;
		}
		d.model = model != null ? model : Extraction.model(plainIn, null);
		d.usage = usage;
		Map<String, Object> metadata = Tasks.merge(context.metadata(), spec.metadata, budget);
		if (metadata == null) {
			metadata = new LinkedHashMap<>();
		}
		metadata.put("stream_status", status.wire);
		if (error != null) {
			String e = Failures.describe(error);
			metadata.put("error", e.length() > maxChars ? Tasks.cut(e, maxChars) : e);
		}
		String failed = callbackError;
		if (failed != null) {
			metadata.put(Tasks.CAPTURE_ERROR, failed);
		}
		if (got != null) {
			metadata.put("chunk_count", (long) got.count());
		}
		metadata.put("latency_ms", (end - startNanos) / 1_000_000);
		if (got != null && got.count() > 0) {
			metadata.put("time_to_first_chunk_ms", (firstNanos - startNanos) / 1_000_000);
		}
		d.metadata = metadata;
		d.extras = spec.extras == null ? null : Tasks.extras(spec.extras, budget);
		Tasks.fillIdentity(d, client.options(), context, spec.sessionId, spec.taskId, spec.userId, spec.versionId);
		d.flag = spec.flag;
		d.truncated = truncated || budget.truncated() || (value != null && valueTruncated);
		Tasks.limit(d, maxChars);
		// The chunk list is bounded as it grows; a single value or a collected one is bounded here.
		Tasks.limitRaw(d, maxChars, mono || collector != null);
		return d.build();
	}
}
