package ai.phospho.reactive.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.Flag;
import ai.phospho.reactive.LoggedTask;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Writes a {@link LoggedTask} as the phospho {@code LogEvent} JSON with Jackson's streaming
 * generator. {@link #visit} is the one list of wire keys, shared by the JSON and by
 * {@link LoggedTask#toMap()} so that the two cannot disagree.
 */
public final class EventWriter {

	public interface Visitor {
		/** A field under one of the event's own keys: a literal of {@link #visit}, plain ASCII. */
		void field(String name, @Nullable Object value);

		/** A field under a key of the task's own (usage, extra keys): any string. */
		default void entry(String key, @Nullable Object value) {
			field(key, value);
		}

		/** A field of the event's own whose value is a number (the client's time): not boxed by visitors that need not. */
		default void number(String name, long value) {
			field(name, value);
		}

		/**
		 * The field of the task's id ({@code session}: its session id); its value is read from the task
		 * only if this visitor needs its text (an id the library made is made when first read).
		 */
		default void id(String name, LoggedTask t, boolean session) {
			field(name, session ? t.sessionId() : t.taskId());
		}

		/** Whether this visitor found the output it was given plain ({@link #PLAIN_OUTPUT}); visited before the raw output. */
		default boolean outputFoundPlain() {
			return false;
		}
	}

	private EventWriter() {
	}

	/** The word the phospho API expects for a flag: {@code "success"} or {@code "failure"}. */
	public static String flagValue(Flag flag) {
		return flag == Flag.SUCCESS ? "success" : "failure";
	}

	/**
	 * What the writer reads of a task beyond its public accessors: given by {@link LoggedTask} (in the
	 * API package, whose internals this package cannot see) as its class is initialised.
	 */
	public interface TaskAccess {
		/** {@link #estimateSize}, computed once per task and cached by it. */
		long estimatedSize(LoggedTask t);

		/** The task's raw output as it is held: a {@link DeferredChunks} for a stream's chunks, written from as JSON. */
		@Nullable Object heldRawOutput(LoggedTask t);

		/** The texts the task's estimate found plain ({@link #PLAIN_INPUT}, {@link #PLAIN_OUTPUT}); 0 before it. */
		int plainTexts(LoggedTask t);

		/**
		 * Writes the bytes of the task's id ({@code session}: its session id) into {@code out} when the
		 * library made it, without making its text.
		 *
		 * @return their count, or 0 for an id given by the application (written from its text)
		 */
		int madeIdBytes(LoggedTask t, boolean session, byte[] out);

		/** The task a spooled event was written from. */
		LoggedTask fromJson(byte[] json);
	}

	private static volatile @Nullable TaskAccess access;

	/** Registered by {@link LoggedTask} as its class is initialised. */
	public static void accessWith(TaskAccess a) {
		access = a;
	}

	/** The registered access: there is one once a task exists; without one, {@link LoggedTask} is initialised. */
	private static TaskAccess access() {
		TaskAccess a = access;
		if (a == null) {
			try {
				// Its initialiser registers the access.
				Class.forName(LoggedTask.class.getName(), true, LoggedTask.class.getClassLoader());
			}
			catch (ClassNotFoundException e) {
				throw new IllegalStateException(e);
			}
			a = java.util.Objects.requireNonNull(access, "access");
		}
		return a;
	}

	/** The task whose event {@link #toJson} wrote; for the disk spool. */
	static LoggedTask fromJson(byte[] json) {
		return access().fromJson(json);
	}

	/** The fields of the task's event, in wire order, as {@link LoggedTask#toMap()} has them. */
	public static void visit(LoggedTask t, Visitor v) {
		visit(t, v, false);
	}

	/**
	 * The fields of the task's event; with {@code wire}, a stream's raw output is given as its
	 * {@link RawJson}, for sizing and writing the event without a plain copy of its chunks.
	 */
	private static void visit(LoggedTask t, Visitor v, boolean wire) {
		if (t.projectId() != null) {
			v.field("project_id", t.projectId());
		}
		v.id("task_id", t, false);
		v.id("session_id", t, true);
		v.field("input", t.input());
		if (t.output() != null) {
			v.field("output", t.output());
		}
		v.number("client_created_at", t.clientCreatedAt());
		if (t.lastUpdate() != null) {
			v.field("last_update", t.lastUpdate());
		}
		v.field("version_id", t.versionId());
		if (t.userId() != null) {
			v.field("user_id", t.userId());
		}
		// A test id given with TaskLog.put (a key of the task's own, written with them) wins over the
		// options' or the Context's: the event has the key once.
		if (t.testId() != null && !t.extras().containsKey("test_id")) {
			v.field("test_id", t.testId());
		}
		if (t.flag() != null) {
			v.field("flag", flagValue(t.flag()));
		}
		if (!t.metadata().isEmpty()) {
			v.field("metadata", t.metadata());
		}
		if (t.rawInput() != null) {
			v.field("raw_input", t.rawInput());
		}
		if (t.rawInputTypeName() != null) {
			v.field("raw_input_type_name", t.rawInputTypeName());
		}
		Object raw = wire ? access().heldRawOutput(t) : null;
		if (raw instanceof DeferredChunks d) {
			// The output is visited first: chunks that are pieces of a plain output are plain too.
			v.field("raw_output", d.json(v.outputFoundPlain() ? t.output() : null));
		}
		else if (t.rawOutput() != null) {
			v.field("raw_output", t.rawOutput());
		}
		if (t.rawOutputTypeName() != null) {
			v.field("raw_output_type_name", t.rawOutputTypeName());
		}
		v.field("environment", t.environment());
		if (t.systemPrompt() != null) {
			v.field("system_prompt", t.systemPrompt());
		}
		if (t.model() != null) {
			v.field("model", t.model());
		}
		// Most tasks have neither: no iterator made for an empty map.
		if (!t.usage().isEmpty()) {
			for (Map.Entry<String, Object> e : t.usage().entrySet()) {
				// A key given with TaskLog.put wins over the provider's.
				if (!t.extras().containsKey(e.getKey())) {
					v.entry(e.getKey(), e.getValue());
				}
			}
		}
		if (t.truncated()) {
			v.field("truncated", Boolean.TRUE);
		}
		if (!t.extras().isEmpty()) {
			for (Map.Entry<String, Object> e : t.extras().entrySet()) {
				v.entry(e.getKey(), e.getValue());
			}
		}
	}

	/** {@link #estimateSize}, computed once per task. */
	public static long estimatedSize(LoggedTask t) {
		return access().estimatedSize(t);
	}

	/**
	 * The size of the task's JSON in bytes, from the UTF-8 length of its strings: exact but for
	 * escapes and number widths. Batches are cut by this estimate so that the worker need not
	 * serialise tasks that an exporter may never serialise.
	 */
	public static long estimateSize(LoggedTask t) {
		return estimateSize(t, false, false);
	}

	/**
	 * As {@link #estimateSize(LoggedTask)}, knowing whether the task's ids are those the library made
	 * ({@link Ids}): ASCII with nothing to escape and of a fixed length, each is sized by that length
	 * without its text, which is then made only when something reads it (an exporter writing it).
	 */
	public static long estimateSize(LoggedTask t, boolean madeTaskId, boolean madeSessionId) {
		return estimate(t, madeTaskId, madeSessionId) >>> 2;
	}

	/** The input's bit in {@link #estimate}'s plain texts: its text is printable ASCII with nothing to escape. */
	public static final int PLAIN_INPUT = 1;
	/** The output's bit in {@link #estimate}'s plain texts. */
	public static final int PLAIN_OUTPUT = 2;

	/**
	 * {@link #estimateSize(LoggedTask, boolean, boolean)} shifted left by two, with the bits of the
	 * texts found plain ({@link #PLAIN_INPUT}, {@link #PLAIN_OUTPUT}) below it: a text whose size is its
	 * length and two quotes has no character to escape nor beyond ASCII, so that its JSON is its
	 * Latin-1 bytes, written by {@link #write} without a second walk.
	 */
	public static long estimate(LoggedTask t, boolean madeTaskId, boolean madeSessionId) {
		Sizer sizer = new Sizer(madeTaskId, madeSessionId);
		visit(t, sizer, true);
		return sizer.size << 2 | sizer.plain;
	}

	/**
	 * A string, its size, and its JSON text encoded once ({@code null} for a string with a lone
	 * surrogate, which the generator writes itself), as the last task held it in a field whose value is
	 * most often the same string: the sizer and the writer share it.
	 */
	private record Known(String value, long size, @Nullable SerializedString json) {
	}

	/**
	 * Per field of {@link Sizer#constantSlot}: the last string sized or written there. Read and written
	 * by any thread without a lock: an entry is immutable, and a stale one only costs its making again.
	 */
	private static final @Nullable Known[] CONSTANTS = new Known[5];

	/** The entry of {@code slot} for {@code s}: the one held when it is of the same string, else a new one. */
	@SuppressWarnings("ReferenceEquality")
	private static Known constant(int slot, String s) {
		Known k = CONSTANTS[slot];
		if (k == null || k.value() != s) {
			k = new Known(s, utf8Length(s) + 2, encoded(s));
			CONSTANTS[slot] = k;
		}
		return k;
	}

	/**
	 * The visitor of {@link #estimateSize}: one object per task rather than a lambda and its array,
	 * the wire keys' lengths known without walking them, and a string sized once when the task holds
	 * it twice ({@code raw_input} is most often the {@code input} itself, {@code raw_output} the
	 * {@code output}).
	 */
	private static final class Sizer implements Visitor {
		/** Strings at least this long are remembered for a second visit; shorter ones cost less than the look-up. */
		private static final int REMEMBERED_LENGTH = 16;

		long size = 2;
		/** The texts found plain: {@link #PLAIN_INPUT}, {@link #PLAIN_OUTPUT}. */
		int plain;
		private final boolean madeTaskId;
		private final boolean madeSessionId;
		private @Nullable String s0;
		private @Nullable String s1;
		private @Nullable String s2;
		private @Nullable String s3;
		private long n0;
		private long n1;
		private long n2;
		private long n3;
		private int next;

		Sizer(boolean madeTaskId, boolean madeSessionId) {
			this.madeTaskId = madeTaskId;
			this.madeSessionId = madeSessionId;
		}

		/** An id the library made is sized by its length, known without its text (made when first read). */
		@Override
		public void id(String name, LoggedTask t, boolean session) {
			if (session ? madeSessionId : madeTaskId) {
				size += name.length() + 4 + (session ? Ids.SESSION_ID_LENGTH : Ids.TASK_ID_LENGTH) + 2;
			}
			else {
				field(name, session ? t.sessionId() : t.taskId());
			}
		}

		/** One of the event's own keys: plain ASCII, its length is its size. */
		@Override
		@SuppressWarnings("ReferenceEquality")
		public void field(String name, @Nullable Object value) {
			if (value instanceof String s) {
				long n = string(name, s);
				if (n == s.length() + 2L) {
					plain |= name == "input" ? PLAIN_INPUT : name == "output" ? PLAIN_OUTPUT : 0;
				}
				size += name.length() + 4 + n;
			}
			else {
				size += name.length() + 4 + estimate(value);
			}
		}

		@Override
		public void entry(String key, @Nullable Object value) {
			size += nameLength(key) + 4 + (value instanceof String s ? string(key, s) : estimate(value));
		}

		@Override
		public boolean outputFoundPlain() {
			return (plain & PLAIN_OUTPUT) != 0;
		}

		/** As {@link #estimate} counts any number. */
		@Override
		public void number(String name, long value) {
			size += name.length() + 4 + NUMBER_SIZE;
		}

		/**
		 * The fields whose value is most often the same string task after task (the options' ids and
		 * the type names), by the visitor's own literal keys: identity is enough, a key of the same text
		 * from elsewhere is only not remembered.
		 */
		@SuppressWarnings("ReferenceEquality")
		static int constantSlot(String name) {
			if (name == "version_id") {
				return 0;
			}
			if (name == "environment") {
				return 1;
			}
			if (name == "raw_input_type_name") {
				return 2;
			}
			if (name == "raw_output_type_name") {
				return 3;
			}
			return name == "project_id" ? 4 : -1;
		}

		private long string(String name, String s) {
			int slot = constantSlot(name);
			if (slot >= 0) {
				return constant(slot, s).size();
			}
			if (s.length() < REMEMBERED_LENGTH) {
				return utf8Length(s) + 2;
			}
			if (s == s0) {
				return n0;
			}
			if (s == s1) {
				return n1;
			}
			if (s == s2) {
				return n2;
			}
			if (s == s3) {
				return n3;
			}
			long n = utf8Length(s) + 2;
			switch (next++ & 3) {
				case 0 -> {
					s0 = s;
					n0 = n;
				}
				case 1 -> {
					s1 = s;
					n1 = n;
				}
				case 2 -> {
					s2 = s;
					n2 = n;
				}
				default -> {
					s3 = s;
					n3 = n;
				}
			}
			return n;
		}
	}

	/** The event's own keys (and the usual usage keys). */
	private static final KnownNames WIRE = new KnownNames(512, "project_id", "task_id", "session_id", "input",
			"output", "client_created_at", "last_update", "version_id", "user_id", "test_id", "flag", "metadata",
			"raw_input", "raw_input_type_name", "raw_output", "raw_output_type_name", "environment", "system_prompt",
			"model", "truncated", "prompt_tokens", "completion_tokens", "total_tokens");

	/**
	 * {@link #utf8Length} of a key: one of the event's own keys as {@link #visit} passes it (a string
	 * literal, so the same object) is its length, any other key is measured.
	 */
	public static long nameLength(String name) {
		return WIRE.of(name) != null ? name.length() : utf8Length(name);
	}

	/** What {@link #estimate} counts for a number or a boolean: a long has at most 20 characters, a double 24, a boolean 5. */
	private static final int NUMBER_SIZE = 24;

	public static long estimate(@Nullable Object value) {
		if (value == null) {
			return 4;
		}
		if (value instanceof String s) {
			return utf8Length(s) + 2;
		}
		if (value instanceof RawJson j) {
			return j.length();
		}
		if (value instanceof Map<?, ?> map) {
			long n = 2;
			for (Map.Entry<?, ?> e : map.entrySet()) {
				n += utf8Length(String.valueOf(e.getKey())) + 4 + estimate(e.getValue());
			}
			return n;
		}
		if (value instanceof List<?> list) {
			long n = 2;
			for (Object o : list) {
				n += estimate(o) + 1;
			}
			return n;
		}
		if (value instanceof BigDecimal || value instanceof BigInteger) {
			return value.toString().length();
		}
		return NUMBER_SIZE;
	}

	/**
	 * A quick upper-bound-free size of a plain value or map in characters of JSON (string lengths,
	 * no escapes), for the stream's raw cap: it stops walking once {@code cap} is passed.
	 */
	public static long roughSize(@Nullable Object value, long cap) {
		if (value instanceof String s) {
			return s.length() + 3L;
		}
		if (value instanceof Map<?, ?> map) {
			long n = 2;
			for (Map.Entry<?, ?> e : map.entrySet()) {
				Object k = e.getKey();
				n += (k instanceof String ks ? ks.length() : 8) + 4 + roughSize(e.getValue(), cap - n);
				if (n > cap) {
					return n;
				}
			}
			return n;
		}
		if (value instanceof List<?> list) {
			long n = 2;
			for (Object o : list) {
				n += roughSize(o, cap - n) + 1;
				if (n > cap) {
					return n;
				}
			}
			return n;
		}
		return 8;
	}

	/**
	 * The bytes of {@code s} as a JSON string body: UTF-8, with {@code "} and {@code \} escaped in
	 * two bytes and control characters in two ({@code \n}) or six ({@code \u0001}), as Jackson
	 * writes them. Batches are cut by it, so it must not fall short.
	 */
	public static long utf8Length(String s) {
		long n = s.length();
		for (int i = 0; i < s.length(); i++) {
			n += extraBytes(s, i);
		}
		return n;
	}

	/**
	 * The bytes the {@code char} at {@code i} takes in a JSON string body beyond one, as
	 * {@link #utf8Length} counts them: 2 bytes up to U+07FF, 3 above; a surrogate pair (4 bytes)
	 * counts 2 + 2; a surrogate alone, which Jackson writes as an escape, 6; {@code \n} and the like
	 * 2, other control characters 6 ({@code \u0001}); a quote or a backslash 2.
	 */
	public static int extraBytes(String s, int i) {
		char c = s.charAt(i);
		if (c >= 0x80) {
			return c < 0x800 ? 1 : (Character.isSurrogate(c) ? (paired(s, i, c) ? 1 : 5) : 2);
		}
		if (c < 0x20) {
			return c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 1 : 5;
		}
		return c == '"' || c == '\\' ? 1 : 0;
	}

	/** Whether the surrogate {@code c} at {@code i} is half of a pair: a high one before a low one. */
	private static boolean paired(String s, int i, char c) {
		return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
				: i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
	}

	public static byte[] toJson(LoggedTask t) {
		ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
				estimatedSize(t) + 64));
		writeTo(out, t);
		return out.toByteArray();
	}

	/** Writes the task's event to {@code out} as one compact JSON object. */
	public static void writeTo(OutputStream out, LoggedTask t) {
		try (JsonGenerator g = Json.mapper().createGenerator(out)) {
			write(g, t);
		}
	}

	public static void write(JsonGenerator g, LoggedTask t) {
		g.writeStartObject();
		visit(t, new Writer(g, t), true);
		g.writeEndObject();
	}

	/**
	 * The visitor of {@link #write}: the event's own keys as their pre-encoded bytes; the options' ids
	 * and the type names encoded once for many tasks; a long input or output that the task also holds
	 * as its raw input or raw output (a task logged with strings) encoded once for its two fields.
	 */
	private static final class Writer implements Visitor {
		/** Shorter strings cost less to write twice than to encode once and copy. */
		private static final int REPEATED_LENGTH = 64;
		/** Shorter plain texts cost less to write through the generator than to copy to bytes first. */
		private static final int PLAIN_LENGTH = 32;

		private final JsonGenerator g;
		private final LoggedTask t;
		private @Nullable String repeated;
		private @Nullable SerializedString repeatedJson;
		/** The texts the task's estimate found plain ({@link #PLAIN_INPUT}, {@link #PLAIN_OUTPUT}), and their bytes once made. */
		private final int plain;
		private byte @Nullable [] inputBytes;
		private byte @Nullable [] outputBytes;
		/** The bytes of an id the library made: written as they are, without making its text. */
		private byte @Nullable [] idBytes;

		Writer(JsonGenerator g, LoggedTask t) {
			this.g = g;
			this.t = t;
			this.plain = access().plainTexts(t);
		}

		@Override
		public void field(String name, @Nullable Object value) {
			name(name);
			if (!(value instanceof String s)) {
				writeValue(g, value);
			}
			else if (plain != 0 && s.length() >= PLAIN_LENGTH && writePlain(s)) {
				return;
			}
			else if (s == repeated && repeatedJson != null) {
				g.writeString((SerializableString) repeatedJson);
			}
			else if (s.length() >= REPEATED_LENGTH && heldTwice(name, s)) {
				SerializedString e = encoded(s);
				if (e == null) {
					g.writeString(s);
				}
				else {
					repeated = s;
					repeatedJson = e;
					g.writeString((SerializableString) e);
				}
			}
			else {
				writeString(name, s);
			}
		}

		@Override
		public void number(String name, long value) {
			name(name);
			g.writeNumber(value);
		}

		/** An id the library made: hex digits and a prefix, written as bytes without making its text. */
		@Override
		public void id(String name, LoggedTask t, boolean session) {
			byte[] b = idBytes;
			if (b == null) {
				b = new byte[Math.max(Ids.TASK_ID_LENGTH, Ids.SESSION_ID_LENGTH)];
				idBytes = b;
			}
			int n = access().madeIdBytes(t, session, b);
			if (n > 0) {
				name(name);
				g.writeRawUTF8String(b, 0, n);
				return;
			}
			field(name, session ? t.sessionId() : t.taskId());
		}

		/** A key: one of the event's own as its pre-encoded bytes, any other as a string. */
		private void name(String name) {
			WIRE.write(g, name);
		}

		/**
		 * Writes {@code s} as its Latin-1 bytes when it is the task's input or output and the estimate
		 * found it plain (printable ASCII, nothing to escape: its JSON is those bytes between quotes), once
		 * made for its two fields ({@code raw_input} is most often the input itself).
		 */
		@SuppressWarnings("ReferenceEquality")
		private boolean writePlain(String s) {
			byte[] b;
			if (s == t.input() && (plain & PLAIN_INPUT) != 0) {
				b = inputBytes;
				if (b == null) {
					b = s.getBytes(StandardCharsets.ISO_8859_1);
					inputBytes = b;
				}
			}
			else if (s == t.output() && (plain & PLAIN_OUTPUT) != 0) {
				b = outputBytes;
				if (b == null) {
					b = s.getBytes(StandardCharsets.ISO_8859_1);
					outputBytes = b;
				}
			}
			else {
				return false;
			}
			g.writeRawUTF8String(b, 0, b.length);
			return true;
		}

		/** Whether {@code s}, the input or the output, is also the raw one, which {@link #visit} gives later. */
		@SuppressWarnings("ReferenceEquality")
		private boolean heldTwice(String name, String s) {
			if (name == "input") {
				return t.rawInput() == s;
			}
			return name == "output" && access().heldRawOutput(t) == s;
		}

		/** A field whose value is most often the same string task after task: its bytes encoded once. */
		private void writeString(String name, String s) {
			int slot = Sizer.constantSlot(name);
			SerializedString json = slot < 0 ? null : constant(slot, s).json();
			if (json != null) {
				g.writeString((SerializableString) json);
			}
			else {
				g.writeString(s);
			}
		}
	}

	/**
	 * {@code s} with its JSON text encoded, or {@code null} for a string with a lone surrogate, which
	 * Jackson's encoder refuses where its generator writes it as an escape (the only difference
	 * between the two, checked for every {@code char}).
	 */
	static @Nullable SerializedString encoded(String s) {
		SerializedString e = new SerializedString(s);
		try {
			e.asQuotedUTF8();
			return e;
		}
		catch (IllegalArgumentException lone) {
			return null;
		}
	}

	/** Writes a plain value (see {@link Plain}). */
	public static void writeValue(JsonGenerator g, @Nullable Object value) {
		if (value == null) {
			g.writeNull();
		}
		else if (value instanceof String s) {
			g.writeString(s);
		}
		else if (value instanceof Long l) {
			g.writeNumber(l);
		}
		else if (value instanceof Integer i) {
			g.writeNumber(i);
		}
		else if (value instanceof Double d) {
			g.writeNumber(d);
		}
		else if (value instanceof Boolean b) {
			g.writeBoolean(b);
		}
		else if (value instanceof BigInteger bi) {
			g.writeNumber(bi);
		}
		else if (value instanceof BigDecimal bd) {
			g.writeNumber(bd);
		}
		else if (value instanceof RawJson j) {
			g.writeRawValue(j);
		}
		else if (value instanceof Map<?, ?> map) {
			g.writeStartObject();
			for (Map.Entry<?, ?> e : map.entrySet()) {
				g.writeName(String.valueOf(e.getKey()));
				writeValue(g, e.getValue());
			}
			g.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			g.writeStartArray();
			for (Object o : list) {
				writeValue(g, o);
			}
			g.writeEndArray();
		}
		else {
			g.writeString(Plain.stringForm(value));
		}
	}
}
