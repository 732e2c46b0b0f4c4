package ai.phospho.reactive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collector;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.ConversionBudget;
import ai.phospho.reactive.internal.DeferredChunks;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Extraction;
import ai.phospho.reactive.internal.Extractors;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.MapChunkPass;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RawShapes;
import ai.phospho.reactive.internal.StreamFacts;
import ai.phospho.reactive.internal.Usages;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The capture of a stream: its chunks come from the signal thread ({@link #signal}); the task is
 * built once ({@link #emit}), by that thread or by a concurrent cancel, which reads a consistent
 * prefix of {@link Chunks} without stopping the signal thread.
 *
 * <p>A {@code String} chunk costs two array slots and a release store: no lock, no
 * read-modify-write, no plain form, no clock. A {@code Map} chunk's text is read in place; other
 * chunks go through the extractor SPI, or are converted. Chunks are kept by reference and written
 * as JSON on the export worker ({@link DeferredChunks}); a chunk mutated after it was emitted may
 * be logged as mutated.
 */
final class StreamCapture<T> extends AbstractCapture<T> {

	private static final PhosphoExtractor[] EXTRACTORS = Extractors.all().toArray(new PhosphoExtractor[0]);
	/**
	 * Per class of chunk, the extractors that may read its chunks ({@link PhosphoExtractor#readsChunksOf}),
	 * and whether a chunk of it with text may end its stream ({@link PhosphoExtractor#textChunksMayEnd}).
	 */
	private static final ClassValue<ChunkReaders> CHUNK_READERS = new ClassValue<>() {
		@Override
		protected ChunkReaders computeValue(Class<?> type) {
			List<PhosphoExtractor> reading = new ArrayList<>();
			for (PhosphoExtractor e : EXTRACTORS) {
				boolean reads;
				try {
					reads = e.readsChunksOf(type);
				}
				catch (RuntimeException | LinkageError ex) {
					Callbacks.reportOnce("readsChunksOf:" + e.getClass().getName(), "phospho: PhosphoExtractor "
							+ e.getClass().getName() + ".readsChunksOf threw; it is asked for every chunk", ex);
					reads = true;
				}
				if (reads) {
					reading.add(e);
				}
			}
			boolean textMayEnd = true;
			if (reading.size() == 1) {
				// With two, the text may come from one and the answer from the other: both are asked.
				PhosphoExtractor e = reading.get(0);
				try {
					textMayEnd = e.textChunksMayEnd(type);
				}
				catch (RuntimeException | LinkageError ex) {
					Callbacks.reportOnce("textChunksMayEnd:" + e.getClass().getName(), "phospho: PhosphoExtractor "
							+ e.getClass().getName() + ".textChunksMayEnd threw; it is asked for every chunk", ex);
				}
			}
			return new ChunkReaders(reading.toArray(new PhosphoExtractor[0]), textMayEnd);
		}
	};

	/** What {@link #CHUNK_READERS} holds for a class. */
	private record ChunkReaders(PhosphoExtractor[] extractors, boolean textMayEnd) {
	}

	/** OpenAI's last event, as a client that passes SSE data on as strings exposes it. */
	private static final String DONE = "[DONE]";
	/** How many chunks that an extractor reads without their plain form are converted to find the model. */
	private static final int MODEL_LOOKUPS = 4;
	/** What a typed chunk holds besides its text, as counted against the raw output's cap. */
	static final int TYPED_CHUNK_OVERHEAD = 256;

	/** The raw-output collector of {@link StreamLog#rawOutput}, or null for the list of chunks. */
	private final @Nullable Collector<? super T, Object, ?> collector;
	private @Nullable Object container;

	private final Chunks chunks;
	/**
	 * Model, usage and tool calls, made at the first chunk that may hold them (a stream of strings
	 * never needs them); written before {@link Chunks} publishes the chunk.
	 */
	private @Nullable StreamFacts facts;
	private int modelLookups;
	/** Reads OpenAI map chunks in one pass; made at the first map chunk. */
	private @Nullable MapChunkPass pass;
	/** The class of the last chunk asked to the extractors, and the extractors that read it. */
	private @Nullable Class<?> chunkClass;
	private PhosphoExtractor[] chunkExtractors = EXTRACTORS;
	/** Whether a chunk of that class with text may end the stream: its extractor is asked. */
	private boolean chunkTextMayEnd = true;
	/** Whether that class is neither a map nor a string: a typed chunk, read through the extractors. */
	private boolean chunkTyped;
	/** Written at the first chunk, before {@link Chunks} publishes it. */
	private long firstNanos;
	/** The chunks the task is built from: taken once, by the thread that builds it. */
	private Chunks.@Nullable Snapshot snapshot;
	/** Whether the task was built: a collector is no longer fed. Guarded by {@code this}. */
	private boolean built;

	StreamCapture(TaskSink sink, StreamLog<T> spec, ContextView subscriberContext, ContextValues context) {
		super(sink, spec, subscriberContext, context);
		this.chunks = new Chunks(maxChars);
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

	/** The facts of a stream none of whose chunks held any: never written. */
	private static final StreamFacts NO_FACTS = new StreamFacts(0);

	private StreamFacts facts() {
		StreamFacts f = facts;
		if (f == null) {
			f = new StreamFacts(maxChars);
			facts = f;
		}
		return f;
	}

	@Override
	public @Nullable Status signal(T t) {
		if (firstNanos == 0) {
			firstNanos = System.nanoTime();
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
	 * chunk is kept by reference and written as JSON on the export worker (see
	 * {@link DeferredChunks}).
	 */
	private @Nullable Status other(T t) {
		PhosphoExtractor[] extractors = extractorsOf(t);
		if (chunkTyped && spec.outputToString == null) {
			String fast = spiChunkText(extractors, t);
			if (fast != null && !fast.isEmpty() && (facts().hasModel() || modelLookups >= MODEL_LOOKUPS)) {
				// The hot path of typed chunks, kept small: the text from an extractor, nothing converted.
				chunks.add(t, fast, fast.length() + (long) TYPED_CHUNK_OVERHEAD);
				if (!chunkTextMayEnd && collector == null && spec.stop == null) {
					// Its extractor promised that a chunk with text does not end the stream.
					return null;
				}
				return added(t, extractors, false, t);
			}
			return general(t, extractors, fast, true);
		}
		return general(t, extractors, null, false);
	}

	/**
	 * {@link #other}'s general case, with the extractors that read {@code t}'s class; {@code asked}
	 * is their text of a typed chunk when {@code wasAsked}, else they are asked here.
	 */
	private @Nullable Status general(T t, PhosphoExtractor[] extractors, @Nullable String asked, boolean wasAsked) {
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
			String fast = wasAsked ? asked : spiChunkText(extractors, t);
			if (fast == null || fast.isEmpty()) {
				// A typed chunk without text (an audio delta, a role or finish chunk) may hold anything:
				// it is measured, and read, through its plain form, so that the chunks held stay bounded.
				view = Plain.of(t, new ConversionBudget(maxChars));
				if (fast != null && s == null) {
					s = fast;
				}
			}
			else {
				if (s == null) {
					s = fast;
				}
				if (!facts().hasModel() && modelLookups < MODEL_LOOKUPS) {
					modelLookups++;
					Object plain = Plain.of(t, new ConversionBudget(maxChars));
					if (plain != null) {
						addFacts(plain);
					}
				}
			}
		}
		MapChunkPass read = null;
		if (view instanceof Map<?, ?> map) {
			read = pass;
			if (read == null) {
				read = new MapChunkPass();
				pass = read;
			}
			if (!read.read(map, maxChars + 1L)) {
				read = null;
			}
		}
		long size;
		if (read != null) {
			// An OpenAI chunk, read once: the same facts, text, size and stop rule as below.
			try {
				read.addTo(facts());
			}
			catch (Throwable e) {
				failed("reading a chunk", e);
			}
			if (s == null) {
				try {
					s = read.text();
				}
				catch (Throwable e) {
					failed("reading a chunk", e);
					s = "";
				}
			}
			size = read.size() + 1;
		}
		else {
			if (view != null) {
				addFacts(view);
				if (s == null) {
					s = textOf(view);
				}
			}
			if (s == null) {
				s = ""; // a chunk whose plain form is null has no text
			}
			size = rawSize(view, s);
		}
		chunks.add(t, s, size);
		return added(t, extractors, read != null, view != null ? view : t);
	}

	/**
	 * After a chunk that is not a plain {@code String} was added: the collector, then the stop
	 * predicate or the default stop rule, the extractors first, then the built-in rule on what
	 * {@link #pass} read when {@code passRead}, or on {@code plain} (the chunk's plain form or map,
	 * else the chunk). No {@code MapChunkPass} in the signature: a stream that never made one has
	 * not loaded its class, and the JIT does not inline a method whose signature names a class
	 * not loaded (the typed chunks' path then paid a call per chunk).
	 */
	private @Nullable Status added(T t, PhosphoExtractor[] extractors, boolean passRead, Object plain) {
		if (collector != null) {
			collect(t);
		}
		if (spec.stop != null) {
			return stop(t);
		}
		try {
			Boolean spi = spiIsFinalChunk(extractors, t);
			MapChunkPass read = pass;
			boolean end = spi != null ? spi : passRead && read != null ? read.isFinal() : Extraction.isFinalChunk(plain);
			return end ? Status.COMPLETED : null;
		}
		catch (Throwable e) {
			failed("reading a chunk", e);
			return null;
		}
	}

	/** Model, usage and tool calls of a chunk; a map that throws when read gives none. */
	private void addFacts(Object view) {
		try {
			facts().add(view);
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

	private @Nullable Status stop(T t) {
		Predicate<? super T> stop = spec.stop;
		try {
			return stop != null && stop.test(t) ? Status.STOPPED : null;
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			String reason = "stop predicate " + stop.getClass().getName() + " threw " + Failures.describe(e);
			recordFailure(reason);
			Callbacks.reportOnce("stop:" + stop.getClass().getName(), "phospho: " + reason
					+ "; the task is logged with the chunks gathered so far", e);
			return Status.STOPPED;
		}
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

	/** The extractors that may read chunks of this one's class: the last class's, or looked up. */
	private PhosphoExtractor[] extractorsOf(Object chunk) {
		Class<?> type = chunk.getClass();
		if (type != chunkClass) {
			ChunkReaders readers = CHUNK_READERS.get(type);
			chunkExtractors = readers.extractors();
			chunkTextMayEnd = readers.textMayEnd();
			// Once per class, not per chunk: an instanceof test against an interface is not free.
			chunkTyped = !Map.class.isAssignableFrom(type) && type != String.class;
			chunkClass = type;
		}
		return chunkExtractors;
	}

	private static @Nullable String spiChunkText(PhosphoExtractor[] extractors, Object chunk) {
		for (PhosphoExtractor e : extractors) {
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
	 * The default stop rule, a provider's documented last message: the extractors first (null when
	 * none knows the chunk), then the built-in rule on the plain form or the map. The stream ended
	 * normally: {@code completed}.
	 */
	private static @Nullable Boolean spiIsFinalChunk(PhosphoExtractor[] extractors, Object chunk) {
		for (PhosphoExtractor e : extractors) {
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
		return null;
	}

	@Override
	void output(TaskBuilder b, long endNanos) {
		Chunks.Snapshot got = chunks.snapshot();
		snapshot = got;
		b.truncated(got.truncated());
		if (got.count() == 0) {
			return;
		}
		Object raw;
		String rawType;
		boolean bounded;
		if (collector != null) {
			raw = collected();
			rawType = TaskBuilder.typeName(raw);
			bounded = false;
		}
		else {
			// Converted to plain forms on the export worker, not on the stream's thread.
			raw = new DeferredChunks(got.raw(), maxChars, got.rawAreTexts() ? got.text() : null);
			rawType = "Flux";
			bounded = true;
		}
		StreamFacts facts = this.facts != null ? this.facts : NO_FACTS;
		Map<String, Object> usage = facts.usage();
		Object last = got.last();
		if (usage == null && last != null && !(last instanceof Map<?, ?>) && !(last instanceof String)) {
			// An extractor that reads chunks without their plain form: the usage of the last chunk.
			usage = Usages.of(Plain.of(last, new ConversionBudget(maxChars)));
		}
		// The last chunk's time, to the second: the task is built at it, or at the cancel that
		// ended the stream (reading the clock per chunk would cost more than the chunk itself).
		b.streamed(facts.output(got.text()), raw, rawType, bounded, usage, facts.model(),
				startMillis + (endNanos - startNanos) / 1_000_000);
		// What a tracing span or a dashboard wants of a stream without reading all its chunks back.
		String id = facts.responseId();
		if (id != null) {
			b.fact("response_id", id);
		}
		String reason = facts.finishReason();
		if (reason != null) {
			b.fact("finish_reason", reason);
		}
	}

	@Override
	void timing(TaskBuilder b, long endNanos) {
		Chunks.Snapshot got = snapshot;
		int count = got == null ? 0 : got.count();
		b.fact("chunk_count", (long) count);
		b.fact("latency_ms", (endNanos - startNanos) / 1_000_000);
		if (count > 0) {
			b.fact("time_to_first_chunk_ms", (firstNanos - startNanos) / 1_000_000);
		}
	}
}
