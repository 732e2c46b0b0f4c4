package ai.phospho.reactive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collector;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Extraction;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RawShapes;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

/**
 * What one subscription of a captured stream has gathered, and the task it becomes. Used by one
 * thread at a time: {@link LogStreamSubscriber} hands it over between threads through its state.
 *
 * <p>A {@code String} chunk costs its text appended and one slot in the raw list: no plain form,
 * no boxing, no lambda. Other chunks are converted to their plain form once.
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

	private @Nullable StringBuilder text;
	private @Nullable ArrayList<Object> raw;
	/** Chars of text plus one per chunk kept in {@link #raw}; raw chunks stop past the cap. The chunks are
	 * kept by reference: a chunk mutated after it was emitted may be logged as mutated. */
	private long rawBudget;
	private int chunks;
	private long firstNanos;
	private @Nullable Object first;
	private @Nullable Object last;
	private boolean truncated;
	private Extraction.@Nullable Usage usage;
	private @Nullable String model;
	private @Nullable String callbackError;
	private @Nullable String monoText;
	private @Nullable Object monoPlain;
	private @Nullable String monoTypeName;

	StreamCapture(PhosphoClient client, StreamLog<T> spec, ContextValues context, boolean mono) {
		this.client = client;
		this.spec = spec;
		this.context = context;
		this.mono = mono;
		this.maxChars = client.options().maxFieldChars();
		this.startMillis = System.currentTimeMillis();
		this.startNanos = System.nanoTime();
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
		if (chunks++ == 0) {
			firstNanos = System.nanoTime();
			first = t;
		}
		if (mono) {
			value(t);
			return Status.COMPLETED;
		}
		last = t;
		if (t instanceof String s && spec.outputToString == null) {
			// The hot path: the text appended and the chunk kept by reference; nothing else.
			append(s);
			if (collector != null) {
				collect(t);
			}
			else {
				keepRaw(t, s.length());
			}
			// No default rule ends a stream of plain strings: only a stop predicate does.
			return spec.stop != null ? stop(t) : null;
		}
		return other(t);
	}

	/**
	 * A chunk that is not a plain {@code String}: its text from the custom extractor, the SPI's fast
	 * path, or the built-in rules read in place for a {@code Map} (converted only for other types).
	 * The chunk is kept by reference; its plain copy is made on the export worker (see
	 * {@link DeferredChunks}), and usage and model are read from the last chunk when the task is built.
	 */
	private @Nullable Status other(T t) {
		Object plain = null;
		String s = null;
		if (spec.outputToString != null) {
			s = Callbacks.applyText("outputToString", spec.outputToString, t);
		}
		if (s == null) {
			if (t instanceof String str) {
				s = str;
			}
			else {
				s = spiChunkText(t);
				if (s == null) {
					if (!(t instanceof Map<?, ?>)) {
						plain = Plain.of(t);
					}
					s = Extraction.chunkText(plain != null ? plain : t);
				}
			}
		}
		append(s);
		if (collector != null) {
			collect(t);
		}
		else {
			keepRaw(t, s.length());
		}
		return spec.stop != null ? stop(t) : isFinal(t, plain);
	}

	private @Nullable Status stop(T t) {
		Predicate<? super T> stop = spec.stop;
		try {
			return stop != null && stop.test(t) ? Status.STOPPED : null;
		}
		catch (Throwable e) {
			Exceptions.throwIfJvmFatal(e);
			callbackError = "stop predicate " + stop.getClass().getName() + " threw " + e;
			Callbacks.reportOnce("stop:" + stop.getClass().getName(), "phospho: " + callbackError
					+ "; the task is logged with the chunks gathered so far", e);
			return Status.STOPPED;
		}
	}

	private void value(T t) {
		Object plain = Plain.of(t);
		String s = null;
		if (spec.outputToString != null) {
			s = Callbacks.applyText("outputToString", spec.outputToString, t);
		}
		monoText = s != null ? s : Extraction.outputText(plain);
		monoPlain = plain;
		monoTypeName = Tasks.typeName(t);
		usage = Extraction.usage(plain);
		model = Extraction.model(null, plain);
	}

	private void append(String s) {
		if (truncated) {
			return;
		}
		StringBuilder sb = text;
		if (sb == null) {
			sb = new StringBuilder(Math.min(maxChars, Math.max(64, s.length())));
			text = sb;
		}
		int room = maxChars - sb.length();
		if (s.length() <= room) {
			sb.append(s);
			return;
		}
		int end = room;
		if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
			end--;
		}
		sb.append(s, 0, end);
		truncated = true;
	}

	private void collect(T t) {
		Collector<? super T, Object, ?> c = collector;
		if (c == null || container == null) {
			return;
		}
		try {
			c.accumulator().accept(container, t);
		}
		catch (RuntimeException | LinkageError e) {
			collectorFailed(e);
		}
	}

	private @Nullable Object collected() {
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

	private void keepRaw(@Nullable Object plain, int textLength) {
		if (rawBudget > maxChars) {
			return;
		}
		rawBudget += textLength + 1L;
		if (rawBudget > maxChars) {
			truncated = true;
			return;
		}
		ArrayList<Object> r = raw;
		if (r == null) {
			r = new ArrayList<>();
			raw = r;
		}
		r.add(plain);
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

	/** The default stop rule: the extractors first, then the built-in rule on the plain form or the map. */
	private static @Nullable Status isFinal(Object chunk, @Nullable Object plain) {
		return isFinalChunk(chunk, plain) ? Status.STOPPED : null;
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

	/** Usage from the last chunk (OpenAI's usage chunk, Ollama's done line), the model from it or the first. */
	private void fromLastChunks() {
		Object lastPlain = Plain.of(last);
		usage = Extraction.usage(lastPlain);
		model = Extraction.model(null, lastPlain);
		if (model == null && first != last) {
			model = Extraction.model(null, Plain.of(first));
		}
		first = null;
		last = null;
	}

	/** Builds the task and queues it; never throws. */
	void emit(Status status, @Nullable Throwable error) {
		try {
			client.submit(build(status, error));
		}
		catch (Throwable e) {
			Exceptions.throwIfJvmFatal(e);
			Callbacks.reportOnce("stream-task:" + e.getClass().getName(),
					"phospho: a streamed task could not be assembled; it is not logged", e);
		}
	}

	private LoggedTask build(Status status, @Nullable Throwable error) {
		long end = System.nanoTime();
		TaskDraft d = new TaskDraft();
		d.clientCreatedAt = startMillis / 1000;
		Object input = spec.inputFromContext && context.input() != null ? context.input() : spec.input;
		Object plainIn = Plain.of(input);
		String inputText = null;
		if (spec.inputToString != null) {
			inputText = Callbacks.applyText("inputToString", spec.inputToString, input);
		}
		d.input = inputText != null ? inputText : Extraction.inputText(plainIn);
		d.systemPrompt = Extraction.systemPrompt(plainIn);
		d.rawInput = RawShapes.fit(spec.rawInputSet ? Plain.of(spec.rawInput) : plainIn, false);
		d.rawInputTypeName = Tasks.typeName(spec.rawInputSet ? spec.rawInput : input);
		if (mono) {
			d.output = monoText;
			d.rawOutput = RawShapes.fit(monoPlain, true);
			d.rawOutputTypeName = monoTypeName;
		}
		else if (chunks > 0) {
			d.output = text == null ? "" : text.toString();
			if (collector != null) {
				Object assembled = collected();
				d.rawOutput = RawShapes.fit(Plain.of(assembled), true);
				d.rawOutputTypeName = Tasks.typeName(assembled);
			}
			else {
				// Converted to plain forms on the export worker, not on the stream's thread.
				d.rawOutput = new DeferredChunks(raw == null ? List.of() : raw);
				d.rawOutputTypeName = "Flux";
			}
			fromLastChunks();
			// The last chunk's time, to the second: the task is built at it, or at the cancel that
			// ended the stream (reading the clock per chunk would cost more than the chunk itself).
			d.lastUpdate = (startMillis + (end - startNanos) / 1_000_000) / 1000;
		}
		d.model = model != null ? model : Extraction.model(plainIn, null);
		Extraction.Usage u = usage;
		if (u != null) {
			d.promptTokens = u.promptTokens();
			d.completionTokens = u.completionTokens();
			d.totalTokens = u.totalTokens();
		}
		Map<String, Object> metadata = Tasks.merge(context.metadata(), spec.metadata);
		if (metadata == null) {
			metadata = new LinkedHashMap<>();
		}
		metadata.put("stream_status", status.wire);
		if (error != null) {
			String e = Plain.stringForm(error);
			metadata.put("error", e.length() > maxChars ? Tasks.cut(e, maxChars) : e);
		}
		if (callbackError != null) {
			metadata.put("capture_error", callbackError);
		}
		if (!mono) {
			metadata.put("chunk_count", (long) chunks);
		}
		metadata.put("latency_ms", (end - startNanos) / 1_000_000);
		if (!mono && chunks > 0) {
			metadata.put("time_to_first_chunk_ms", (firstNanos - startNanos) / 1_000_000);
		}
		d.metadata = metadata;
		d.extras = spec.extras;
		Tasks.fillIdentity(d, client.options(), context, spec.sessionId, spec.taskId, spec.userId, spec.versionId);
		d.flag = spec.flag;
		d.truncated = truncated;
		Tasks.limit(d, maxChars);
		// The chunk list is bounded as it grows; a single value or a collected one is bounded here.
		Tasks.limitRaw(d, maxChars, mono || collector != null);
		return d.build();
	}
}
