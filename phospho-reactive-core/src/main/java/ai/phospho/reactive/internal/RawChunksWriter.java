package ai.phospho.reactive.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import ai.phospho.reactive.PhosphoExtractor;
import ai.phospho.reactive.PhosphoOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.SerializableString;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.util.JsonGeneratorDelegate;
import tools.jackson.databind.ObjectWriter;

/**
 * Writes a stream's chunks as the JSON array of its {@code raw_output}, straight from the objects:
 * a {@code String} with the generator, a map or list of plain values walked as it is, a typed chunk
 * by its extractor's {@link PhosphoExtractor#writeJson} or, with no extractor, by Jackson as a bean.
 * The JSON is the one the plain copy ({@link DeferredChunks#plainChunks}) would be written as; what
 * the direct writing cannot take as it is (a value of another type inside a map, a key that is not
 * a string, a getter or an extractor that throws, output that is not one JSON value) is converted
 * the plain way, chunk by chunk. The work is bounded: the buffer takes at most the cap and a margin,
 * and the writing stops at the first chunk past the cap. Not thread-safe; one per raw output.
 */
final class RawChunksWriter {

	/** Room past the cap for the generator's own buffer, so that what precedes a rejected chunk is kept. */
	private static final int MARGIN = 64 * 1024;
	/** phospho-reactive's own extractors, whose {@code writeJson} output is not read back. */
	private static final Set<String> TRUSTED = Set.of("ai.phospho.reactive.openai.OpenAiExtractor");
	private static final PhosphoExtractor[] EXTRACTORS = Extractors.all().toArray(new PhosphoExtractor[0]);
	/** The mapper's writer, without a separator between root values: the commas are written here. */
	private static final ObjectWriter RAW_WRITER = Json.MAPPER.writer().withRootValueSeparator("");

	private static final int NULL = 0;
	private static final int MAP = 1;
	private static final int STRING = 2;
	private static final int OTHER = 3;
	/** Returned by {@link #typed} for a chunk to convert the plain way. */
	private static final int CONVERT = -2;

	private final int maxChars;
	private final Buffer out;
	/**
	 * The stream the extractors write to: {@link #out} while one of them writes a chunk, closed
	 * otherwise, so that one that kept it cannot write into what follows (or into another raw
	 * output, once the buffer's array is reused).
	 */
	private final Gate gate = new Gate();
	private @Nullable JsonGenerator generator;
	private boolean truncated;
	/** The last chunk class found to be none of the built-in types: an extractor's or a bean. */
	private @Nullable Class<?> typedClass;
	/** What an extractor's {@code toPlain} gave for the chunk being written. */
	private @Nullable Object fromExtractor;
	private boolean allMaps = true;
	private boolean allStrings = true;

	RawChunksWriter(int maxChars) {
		this.maxChars = maxChars;
		this.out = new Buffer((long) maxChars + MARGIN);
	}

	/** Whether chunks were left out for the cap. */
	boolean truncated() {
		return truncated;
	}

	/**
	 * The chunks' JSON array, cut before the first chunk that takes it past the cap; {@code null}
	 * when the chunks are of mixed shapes (maps and strings, numbers, lists), which the backend's
	 * types do not take as they are.
	 */
	@Nullable RawJson write(List<Object> chunks) {
		return write(chunks, false);
	}

	/**
	 * {@link #write(List)}; {@code plainStrings} says that every {@code String} chunk is printable
	 * ASCII with nothing to escape (they are pieces of a text found so), and they are then copied
	 * without being read.
	 */
	@Nullable RawJson write(List<Object> chunks, boolean plainStrings) {
		try {
			return writeArray(chunks, plainStrings);
		}
		finally {
			JsonGenerator g = generator;
			generator = null;
			if (g != null) {
				closeQuietly(g);
			}
			out.release();
		}
	}

	private @Nullable RawJson writeArray(List<Object> chunks, boolean plainStrings) {
		out.writeUnbounded('[');
		// One copy of the references, read from the array: a list's get per chunk (a view's checks,
		// an interface call) cost more than the copy.
		Object[] a = chunks.toArray();
		int n = a.length;
		// The leading String chunks (a stream of text chunks is only that) in a loop of their own, where
		// addString is inlined: through add, a call per chunk cost about 2 ns more of the process's CPU.
		// Strings known plain are copied as they are (no generator is made for them).
		int i = 0;
		while (i < n && a[i] instanceof String s) {
			if (plainStrings ? plainString(s, i > 0, true) != WRITTEN : !addString(s, i > 0)) {
				truncated = true;
				i = n;
				break;
			}
			i++;
		}
		if (i > 0) {
			// What count(STRING) does per chunk, once.
			allMaps = false;
		}
		for (; i < n; i++) {
			if (!add(a[i], i > 0)) {
				truncated = true;
				break;
			}
		}
		JsonGenerator g = generator;
		generator = null;
		if (g != null) {
			// Its buffers go back to Jackson's pool.
			g.close();
		}
		if (!allMaps && !allStrings) {
			return null;
		}
		out.writeUnbounded(']');
		return new RawJson(out.toByteArray());
	}

	/** The JSON of a plain value (as {@link Plain} makes them): chunks of mixed shapes, once fitted. */
	static RawJson plainToJson(@Nullable Object plain) {
		Buffer b = new Buffer(Long.MAX_VALUE);
		try {
			try (JsonGenerator g = Json.MAPPER.createGenerator(b)) {
				EventWriter.writeValue(g, plain);
			}
			return new RawJson(b.toByteArray());
		}
		finally {
			b.release();
		}
	}

	/** Writes one chunk; false when it takes the array past the cap (it is then left out). */
	private boolean add(Object chunk, boolean comma) {
		return add(chunk, comma, null);
	}

	/**
	 * Writes one chunk or, with {@code extractedFrom}, the plain form an extractor gave for that
	 * chunk (not given to the extractors again; converted as {@link Plain} converts what an
	 * extractor gave when it cannot be written as it is).
	 */
	private boolean add(Object chunk, boolean comma, @Nullable Object extractedFrom) {
		if (extractedFrom == null && chunk instanceof String s) {
			if (!addString(s, comma)) {
				return false;
			}
			count(STRING);
			return true;
		}
		// A class already found typed skips the type tests: a failed instanceof against an interface
		// scans the class's interfaces (about a tenth of a typed chunk's cost on the worker).
		boolean typed = extractedFrom == null && chunk.getClass() == typedClass;
		if (!typed) {
			if (!(chunk instanceof String) && !(chunk instanceof Map<?, ?>)) {
				if (extractedFrom != null || Plain.isBuiltIn(chunk)) {
					return converted(chunk, comma, extractedFrom);
				}
				typed = true;
				typedClass = chunk.getClass();
			}
		}
		JsonGenerator g = generator();
		long mark = (long) out.count + g.streamWriteOutputBuffered();
		int kind;
		try {
			if (comma) {
				g.writeRaw(',');
			}
			if (typed) {
				kind = typed(g, chunk);
			}
			else if (chunk instanceof String s) {
				g.writeString(s);
				kind = STRING;
			}
			else {
				// What an extractor gave is one level down, as Plain converts it.
				writePlain(g, (Map<?, ?>) chunk, extractedFrom != null ? 1 : 0);
				kind = MAP;
			}
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			boolean overflowed = out.overflowed;
			rewind(mark, true);
			// Past the cap and its margin: certainly too large.
			return !overflowed && converted(chunk, comma, extractedFrom);
		}
		if (kind == CONVERT) {
			// Nothing of the chunk went through the generator: it stays usable.
			rewind(mark, false);
			Object plain = fromExtractor;
			fromExtractor = null;
			// The extractor's plain form (a map, most often) is written as a map chunk is, not asked for twice.
			return plain != null ? add(plain, comma, chunk) : converted(chunk, comma, null);
		}
		if (out.overflowed || (long) out.count + g.streamWriteOutputBuffered() > maxChars) {
			rewind(mark, true);
			return false;
		}
		count(kind);
		return true;
	}

	/**
	 * A {@code String} chunk, on a path of its own (a stream of text chunks is only that): no type
	 * tests, no kind to dispatch on; the caller counts its kind.
	 */
	private boolean addString(String s, boolean comma) {
		if (generator == null) {
			int written = plainString(s, comma, false);
			if (written != NOT_PLAIN) {
				return written == WRITTEN;
			}
		}
		JsonGenerator g = generator();
		long mark = (long) out.count + g.streamWriteOutputBuffered();
		try {
			if (comma) {
				g.writeRaw(',');
			}
			g.writeString(s);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			boolean overflowed = out.overflowed;
			rewind(mark, true);
			return !overflowed && converted(s, comma, null);
		}
		if (out.overflowed || (long) out.count + g.streamWriteOutputBuffered() > maxChars) {
			rewind(mark, true);
			return false;
		}
		return true;
	}

	private static final int WRITTEN = 1;
	private static final int PAST_CAP = 0;
	private static final int NOT_PLAIN = -1;

	/**
	 * Writes a String chunk of printable ASCII with nothing to escape (its JSON is its bytes between
	 * quotes, as Jackson writes it) straight into the buffer, while no generator holds bytes of its
	 * own: the generator's checks and escape table per chunk cost more than the chunk. {@link #PAST_CAP}
	 * when it would take the array past the cap (any JSON of it is at least that long);
	 * {@link #NOT_PLAIN}, with nothing written, for any other string: the generator writes it. With
	 * {@code known}, the string is known to be plain (a piece of a text found so): its characters are
	 * copied as bytes without being read one by one ({@code getBytes} copies a compact string's array).
	 */
	@SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
	private int plainString(String s, boolean comma, boolean known) {
		int len = s.length();
		long end = (long) out.count + (comma ? 1 : 0) + len + 2;
		if (end > maxChars) {
			return PAST_CAP;
		}
		out.ensure((int) end);
		byte[] b = out.buf;
		int at = out.count;
		if (comma) {
			b[at++] = ',';
		}
		b[at++] = '"';
		if (known) {
			s.getBytes(0, len, b, at);
			at += len;
		}
		else {
			for (int i = 0; i < len; i++) {
				char c = s.charAt(i);
				if (c < 0x20 || c > 0x7F || c == '"' || c == '\\') {
					return NOT_PLAIN;
				}
				b[at++] = (byte) c;
			}
		}
		b[at++] = '"';
		out.count = at;
		return WRITTEN;
	}

	/**
	 * A chunk of a type the built-in rules do not know: its extractor writes it, or gives its plain
	 * form (asked in order, as {@link Plain} asks them): {@link #CONVERT}; with none, Jackson writes
	 * it as a bean, as {@link Plain} converts it, unless it is a JDK type (its string form).
	 */
	private int typed(JsonGenerator g, Object chunk) {
		g.flush();
		int start = out.count;
		for (PhosphoExtractor e : EXTRACTORS) {
			boolean written;
			gate.open = true;
			try {
				written = e.writeJson(chunk, gate);
			}
			catch (Throwable ex) {
				Failures.throwIfFatal(ex);
				if (out.overflowed) {
					// Past the cap: the chunk is left out (see add).
					throw Fallback.INSTANCE;
				}
				Callbacks.reportOnce("writeJson:" + e.getClass().getName(), "PhosphoExtractor "
						+ e.getClass().getName() + ".writeJson threw; the chunk is converted with toPlain", ex);
				return CONVERT;
			}
			finally {
				gate.open = false;
			}
			if (written) {
				int kind = out.overflowed || isOneValue(e, start) ? kindOfWritten(start) : -1;
				if (kind < 0 && !out.overflowed) {
					Callbacks.reportOnce("writeJson:" + e.getClass().getName(), "PhosphoExtractor "
							+ e.getClass().getName() + ".writeJson wrote no single JSON value; the chunk is converted with toPlain",
							null);
					return CONVERT;
				}
				return kind;
			}
			if (out.count != start || out.overflowed) {
				// Wrote, and said it did not: not to be trusted.
				return CONVERT;
			}
			Object plain = Callbacks.extractorToPlain(e, chunk);
			if (plain != null) {
				// This extractor converts it: its plain form is written (see add).
				fromExtractor = plain;
				return CONVERT;
			}
		}
		if (Json.isJdkType(chunk.getClass())) {
			return CONVERT;
		}
		// Guarded: what Plain would not take from Jackson's tree is converted the plain way.
		RAW_WRITER.writeValue(new PlainOnly(g), chunk);
		g.flush();
		int kind = kindOfWritten(start);
		if (kind < 0) {
			throw Fallback.INSTANCE;
		}
		return kind;
	}

	/** How many chunks were converted the plain way, in this JVM; for tests. */
	static final LongAdder CONVERTED = new LongAdder();

	/**
	 * The chunk converted the plain way ({@link Plain#of(Object, ConversionBudget)}), then written;
	 * with {@code extractedFrom}, {@code value} is what an extractor gave for that chunk
	 * ({@link Plain#ofExtracted}).
	 */
	private boolean converted(Object value, boolean comma, @Nullable Object extractedFrom) {
		CONVERTED.increment();
		JsonGenerator g = generator();
		long mark = (long) out.count + g.streamWriteOutputBuffered();
		ConversionBudget budget = new ConversionBudget(maxChars);
		Object p = extractedFrom != null ? Plain.ofExtracted(extractedFrom, value, budget) : Plain.of(value, budget);
		if (budget.truncated()) {
			// The budget counts each number as 24 characters: a chunk it cut may still fit the cap. Once
			// more with four times the room; kept only if nothing is cut and its JSON fits (checked below).
			budget = new ConversionBudget(Math.min(Integer.MAX_VALUE - 8L, 4L * maxChars));
			p = extractedFrom != null ? Plain.ofExtracted(extractedFrom, value, budget) : Plain.of(value, budget);
			if (budget.truncated()) {
				return false;
			}
		}
		try {
			if (comma) {
				g.writeRaw(',');
			}
			EventWriter.writeValue(g, p);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			rewind(mark, true);
			return false;
		}
		if (out.overflowed || (long) out.count + g.streamWriteOutputBuffered() > maxChars) {
			rewind(mark, true);
			return false;
		}
		count(p == null ? NULL : p instanceof Map<?, ?> ? MAP : p instanceof String ? STRING : OTHER);
		return true;
	}

	private void count(int kind) {
		allMaps &= kind == MAP || kind == NULL;
		allStrings &= kind == STRING || kind == NULL;
	}

	/**
	 * Drops what follows {@code mark}; and the generator when it may be inside a value
	 * ({@code dirty}), once what it holds is in the buffer.
	 */
	private void rewind(long mark, boolean dirty) {
		JsonGenerator g = generator;
		if (g != null) {
			if (dirty) {
				generator = null;
				// What it holds goes to the buffer (and what closing it adds), then is dropped.
				closeQuietly(g);
			}
			else {
				g.flush();
			}
		}
		out.count = (int) Math.min(out.count, mark);
		out.overflowed = false;
	}

	private static void closeQuietly(JsonGenerator g) {
		try {
			g.close();
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
		}
	}

	private JsonGenerator generator() {
		JsonGenerator g = generator;
		if (g == null) {
			g = RAW_WRITER.createGenerator(out);
			generator = g;
		}
		return g;
	}

	/**
	 * The shape of the one JSON value written from {@code start}, or -1 when what was written is not
	 * one: its first and last bytes (blanks aside) must agree.
	 */
	private int kindOfWritten(int start) {
		byte[] b = out.buf;
		int from = start;
		int to = out.count - 1;
		while (from <= to && isBlank(b[from])) {
			from++;
		}
		while (to >= from && isBlank(b[to])) {
			to--;
		}
		if (from > to) {
			return -1;
		}
		byte first = b[from];
		byte last = b[to];
		if (first == '{') {
			return last == '}' ? MAP : -1;
		}
		if (first == '"') {
			return last == '"' && to > from ? STRING : -1;
		}
		if (first == '[') {
			return last == ']' ? OTHER : -1;
		}
		if (first == 'n') {
			return to - from == 3 && last == 'l' ? NULL : -1;
		}
		if (first == 't' || first == 'f' || first == '-' || first >= '0' && first <= '9') {
			return OTHER;
		}
		return -1;
	}

	/**
	 * Whether what {@code e} wrote from {@code start} is one JSON value: read with a streaming
	 * parser, except for phospho-reactive's own extractors, which are tested against their
	 * {@code toPlain}. A value that is not one would make the whole batch unreadable.
	 */
	private boolean isOneValue(PhosphoExtractor e, int start) {
		if (TRUSTED.contains(e.getClass().getName())) {
			return true;
		}
		try (JsonParser p = Json.MAPPER.createParser(out.buf, start, out.count - start)) {
			if (p.nextToken() == null) {
				return false;
			}
			p.skipChildren();
			if (p.nextToken() != null) {
				return false;
			}
		}
		catch (JacksonException ex) {
			return false;
		}
		byte[] b = out.buf;
		for (int i = start; i < out.count; i++) {
			if (b[i] == '\n' || b[i] == '\r') {
				// A pretty printer's line break, between tokens (a string has them escaped): a JSON Lines
				// file (JsonLinesTaskExporter) takes an event per line.
				return false;
			}
		}
		// The parser skips strings without decoding them all: an overlong or a surrogate's bytes pass.
		try {
			StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(out.buf, start, out.count - start));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static boolean isBlank(byte c) {
		return c == ' ' || c == '\n' || c == '\r' || c == '\t';
	}

	/**
	 * Writes a value of plain types (what a map parsed from JSON holds) the way {@link Plain} then
	 * {@link EventWriter#writeValue} would; anything else throws {@link Fallback}.
	 */
	private static void writePlain(JsonGenerator g, @Nullable Object v, int depth) {
		if (depth > Plain.MAX_DEPTH) {
			throw Fallback.INSTANCE;
		}
		if (v == null) {
			g.writeNull();
			return;
		}
		// The classes a parsed chunk is made of, by their class first: an instanceof test against an
		// interface that fails scans the class's interfaces, and a map's values are of several kinds.
		Class<?> c = v.getClass();
		if (c == String.class) {
			g.writeString((String) v);
		}
		else if (c == LinkedHashMap.class || c == HashMap.class) {
			writeMap(g, (Map<?, ?>) v, depth);
		}
		else if (c == ArrayList.class) {
			writeList(g, (List<?>) v, depth);
		}
		else if (c == Integer.class || c == Long.class) {
			g.writeNumber(((Number) v).longValue());
		}
		else if (v instanceof String s) {
			g.writeString(s);
		}
		else if (v instanceof Map<?, ?> map) {
			if (map instanceof IdentityHashMap<?, ?>) {
				// Equal keys may be there twice: the plain copy keeps one.
				throw Fallback.INSTANCE;
			}
			writeMap(g, map, depth);
		}
		else if (v instanceof List<?> list && list instanceof RandomAccess) {
			writeList(g, list, depth);
		}
		else if (v instanceof Boolean b) {
			g.writeBoolean(b);
		}
		else if (v instanceof Number n) {
			// Plain's own rule for numbers (a long, a finite double, an exact big number, or the text
			// JSON cannot hold as a number), written as EventWriter writes it.
			EventWriter.writeValue(g, Plain.number(n));
		}
		else {
			throw Fallback.INSTANCE;
		}
	}

	private static void writeMap(JsonGenerator g, Map<?, ?> map, int depth) {
		g.writeStartObject();
		for (Map.Entry<?, ?> e : map.entrySet()) {
			if (!(e.getKey() instanceof String key)) {
				throw Fallback.INSTANCE;
			}
			CHUNK_KEYS.write(g, key);
			writePlain(g, e.getValue(), depth + 1);
		}
		g.writeEndObject();
	}

	/** The keys of OpenAI's and Ollama's chunks: every chunk of a stream repeats them. */
	private static final KnownNames CHUNK_KEYS = new KnownNames(256, "id", "object", "created", "model", "choices",
			"index", "delta", "content", "role", "finish_reason", "logprobs", "refusal", "tool_calls", "function", "name",
			"arguments", "type", "system_fingerprint", "service_tier", "usage", "prompt_tokens", "completion_tokens",
			"total_tokens", "prompt_tokens_details", "completion_tokens_details", "cached_tokens", "reasoning_tokens",
			"obfuscation", "content_filter_results", "message", "done", "done_reason", "response", "created_at",
			"eval_count", "prompt_eval_count", "eval_duration", "prompt_eval_duration", "load_duration",
			"total_duration", "thinking", "reasoning_content");

	private static void writeList(JsonGenerator g, List<?> list, int depth) {
		g.writeStartArray();
		for (int i = 0, n = list.size(); i < n; i++) {
			writePlain(g, list.get(i), depth + 1);
		}
		g.writeEndArray();
	}

	/**
	 * A bean written by Jackson through this generator is written as its plain copy would be, or
	 * handed back to the conversion ({@link Fallback}): text written as it is (a
	 * {@code @JsonRawValue}, a serializer's {@code writeRaw}, a number given as text), which may not
	 * be JSON and which the plain copy holds as a string, and nesting deeper than {@link Plain} reads
	 * a tree ({@link Plain#MAX_DEPTH}), which the plain copy gives as the bean's string form.
	 */
	private static final class PlainOnly extends JsonGeneratorDelegate {
		PlainOnly(JsonGenerator g) {
			super(g, false);
		}

		/** A container may be opened where Plain reads a value: at a depth up to {@link Plain#MAX_DEPTH}. */
		private void opening() {
			if (delegate.streamWriteContext().getNestingDepth() > Plain.MAX_DEPTH) {
				throw Fallback.INSTANCE;
			}
		}

		/** A container at {@link Plain#MAX_DEPTH} must be empty: Plain reads no value below it. */
		private void closing() {
			TokenStreamContext c = delegate.streamWriteContext();
			if (c.getNestingDepth() > Plain.MAX_DEPTH && c.getEntryCount() > 0) {
				throw Fallback.INSTANCE;
			}
		}

		@Override
		public JsonGenerator writeStartArray() {
			opening();
			return super.writeStartArray();
		}

		@Override
		public JsonGenerator writeStartArray(Object forValue) {
			opening();
			return super.writeStartArray(forValue);
		}

		@Override
		public JsonGenerator writeStartArray(Object forValue, int size) {
			opening();
			return super.writeStartArray(forValue, size);
		}

		@Override
		public JsonGenerator writeStartObject() {
			opening();
			return super.writeStartObject();
		}

		@Override
		public JsonGenerator writeStartObject(Object forValue) {
			opening();
			return super.writeStartObject(forValue);
		}

		@Override
		public JsonGenerator writeStartObject(Object forValue, int size) {
			opening();
			return super.writeStartObject(forValue, size);
		}

		@Override
		public JsonGenerator writeEndArray() {
			closing();
			return super.writeEndArray();
		}

		@Override
		public JsonGenerator writeEndObject() {
			closing();
			return super.writeEndObject();
		}

		@Override
		public JsonGenerator writeRaw(String text) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRaw(String text, int offset, int len) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRaw(SerializableString raw) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRaw(char[] text, int offset, int len) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRaw(char c) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRawValue(String text) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRawValue(String text, int offset, int len) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRawValue(char[] text, int offset, int len) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRawValue(SerializableString raw) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeRawUTF8String(byte[] text, int offset, int length) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeUTF8String(byte[] text, int offset, int length) {
			// Bytes taken as UTF-8 without a check.
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeNumber(String encodedValue) {
			throw Fallback.INSTANCE;
		}

		@Override
		public JsonGenerator writeNumber(char[] encodedValueBuffer, int offset, int len) {
			throw Fallback.INSTANCE;
		}
	}

	/** Thrown inside the direct writing to convert the chunk the plain way; no stack trace. */
	private static final class Fallback extends RuntimeException {
		static final Fallback INSTANCE = new Fallback();

		private Fallback() {
			super("convert", null, false, false);
		}
	}

	/**
	 * A byte buffer that takes at most {@code limit} bytes: a write past it keeps what fits, marks
	 * the buffer as overflowed and throws, which ends the chunk being written.
	 */
	static final class Buffer extends OutputStream {
		/** Kept between raw outputs (one at a time), so that a buffer is not grown for each. */
		private static final AtomicReference<byte @Nullable []> SPARE = new AtomicReference<>();
		/** Up to the default cap and its margin: one array of at most about 1 MiB is kept. */
		private static final int SPARE_MAX = PhosphoOptions.DEFAULT_MAX_FIELD_CHARS + MARGIN;

		private final long limit;
		byte[] buf;
		int count;
		boolean overflowed;

		Buffer(long limit) {
			this.limit = Math.min(limit, Integer.MAX_VALUE - 16);
			byte[] spare = SPARE.getAndSet(null);
			this.buf = spare != null ? spare : new byte[4096];
		}

		/** Gives the array back for the next buffer, once its bytes were copied out; the buffer is then not used. */
		void release() {
			byte[] b = buf;
			buf = EMPTY;
			count = 0;
			if (b.length <= SPARE_MAX) {
				SPARE.set(b);
			}
		}

		private static final byte[] EMPTY = new byte[0];

		@Override
		public void write(int b) {
			if (count + 1 > limit) {
				overflow();
			}
			writeUnbounded(b);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			int n = len;
			if (count + (long) len > limit) {
				n = (int) Math.max(0, limit - count);
			}
			ensure(count + n);
			System.arraycopy(b, off, buf, count, n);
			count += n;
			if (n < len) {
				overflow();
			}
		}

		void writeUnbounded(int b) {
			ensure(count + 1);
			buf[count++] = (byte) b;
		}

		private void overflow() {
			overflowed = true;
			throw Overflow.INSTANCE;
		}

		void ensure(int size) {
			if (size > buf.length) {
				buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(size, 2L * buf.length)));
			}
		}

		byte[] toByteArray() {
			return Arrays.copyOf(buf, count);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}
	}

	/** {@link #out} while {@code open}; refuses bytes otherwise. */
	private final class Gate extends OutputStream {
		boolean open;

		@Override
		public void write(int b) throws IOException {
			check();
			out.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			check();
			out.write(b, off, len);
		}

		private void check() throws IOException {
			if (!open) {
				throw new IOException("phospho: the raw output's stream is written only during PhosphoExtractor.writeJson");
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}
	}

	/** The buffer's limit was reached; no stack trace. */
	static final class Overflow extends RuntimeException {
		static final Overflow INSTANCE = new Overflow();

		private Overflow() {
			super("raw output past its cap", null, false, false);
		}
	}
}
