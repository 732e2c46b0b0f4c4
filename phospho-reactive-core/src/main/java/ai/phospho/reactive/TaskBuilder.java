package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.ConversionBudget;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Extraction;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Json;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RawShapes;
import ai.phospho.reactive.internal.Usages;
import org.jspecify.annotations.Nullable;

/**
 * The one way a {@link LoggedTask} is built, for {@code log}, streams and {@code logMono} alike:
 * extraction, plain copies, identity defaults and the {@code maxFieldChars} bounds. Conversion stops
 * near the cap, so a huge value costs the building thread no more than what is kept. One builder per
 * task, on one thread; {@link #build()} never throws for any value it was given.
 */
final class TaskBuilder extends TaskDraft {

	/** The metadata key of a task whose capture failed in part: what threw. */
	static final String CAPTURE_ERROR = "capture_error";

	private final PhosphoOptions options;
	private final int maxChars;
	private final @Nullable ContextValues context;
	/** Made at the first value to convert: a string within the cap is its own plain form and needs none. */
	private @Nullable ConversionBudget budget;
	/** The task's fields: this builder itself. */
	private final TaskDraft d = this;
	private @Nullable Object plainIn;
	/** The raw input when it was given apart from the input (a request whose messages are the input). */
	private @Nullable Object plainRawIn;
	private @Nullable Object plainOut;
	/** Whether the raw output is still to be bounded here: not for a stream's chunks, bounded as they came. */
	private boolean boundRawOutput = true;
	private @Nullable Map<String, Object> facts;
	private @Nullable Map<String, Object> listened;

	TaskBuilder(PhosphoOptions options, @Nullable ContextValues context, long createdAtMillis) {
		this.options = options;
		this.maxChars = options.maxFieldChars();
		this.context = context;
		d.clientCreatedAt = createdAtMillis / 1000;
	}

	/** The task of {@code log(TaskLog)}; never throws but for a JVM error. */
	static <I, O> LoggedTask of(TaskLog<I, O> log, PhosphoOptions options, @Nullable ContextValues context) {
		return of(log, options, context, null, Listening.NONE);
	}

	/**
	 * As {@link #of(TaskLog, PhosphoOptions, ContextValues)}, in {@code session} when it is not null
	 * (the one sampling decided on), with the metadata of the task's listeners.
	 */
	static <I, O> LoggedTask of(TaskLog<I, O> log, PhosphoOptions options, @Nullable ContextValues context,
			@Nullable String session, Listening listening) {
		long now = System.currentTimeMillis();
		String sessionId = session != null ? session : log.sessionId;
		try {
			return new TaskBuilder(options, context, now)
					.input(log.input, log.inputToString, log.rawInputSet, log.rawInput)
					.output(log.output, log.outputToString, log.rawOutputSet, log.rawOutput)
					.metadata(log.metadata)
					.extras(log.extras)
					.identity(sessionId, log.taskId, log.userId, log.versionId)
					.flag(log.flag)
					.listened(listening)
					.build();
		}
		catch (Throwable e) {
			return withoutContent(e, options, context, now).identity(sessionId, log.taskId, log.userId, log.versionId)
					.flag(log.flag).listened(listening).build();
		}
	}

	/**
	 * The task of {@code log(input, output)}: what {@link #of(TaskLog, PhosphoOptions, ContextValues,
	 * String, Listening)} builds of {@code TaskLog.of(input).output(output)}, without that
	 * {@code TaskLog}; never throws but for a JVM error.
	 */
	static LoggedTask of(Object input, @Nullable Object output, PhosphoOptions options,
			@Nullable ContextValues context, Listening listening) {
		long now = System.currentTimeMillis();
		if (context == null && listening == Listening.NONE && input instanceof String in
				&& (output == null || output instanceof String)) {
			LoggedTask t = texts(in, (String) output, options, now);
			if (t != null) {
				return t;
			}
		}
		try {
			return new TaskBuilder(options, context, now)
					.input(input, null, false, null)
					.output(output, null, false, null)
					.metadata(null)
					.extras(null)
					.identity(null, null, null, null)
					.flag(null)
					.listened(listening)
					.build();
		}
		catch (Throwable e) {
			return withoutContent(e, options, context, now).identity(null, null, null, null).flag(null)
					.listened(listening).build();
		}
	}

	/**
	 * The task of {@code log(input, output)} for two texts (the output may be null) within
	 * {@code maxFieldChars}, without a Context's values, listeners or {@code METADATA_ONLY}: what the
	 * builder makes of them, made without a builder (one object less per task). For a string the
	 * builder extracts nothing: it is its own text and raw value, of type {@code String}, with no
	 * system prompt, model or usage, and nothing is cut. {@code null} for any other case.
	 */
	private static @Nullable LoggedTask texts(String input, @Nullable String output, PhosphoOptions options,
			long now) {
		int max = options.maxFieldChars();
		PhosphoOptions.ContentMode mode = options.contentMode();
		if (input.length() > max || (output != null && output.length() > max)
				|| mode == PhosphoOptions.ContentMode.METADATA_ONLY) {
			return null;
		}
		ThreadLocalRandom r = ThreadLocalRandom.current();
		return new LoggedTask(options, input, output, mode == PhosphoOptions.ContentMode.FULL, now / 1000,
				r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
	}

	/** After assembling a task threw: reported once per exception class, a builder with what threw as a fact. */
	private static TaskBuilder withoutContent(Throwable e, PhosphoOptions options, @Nullable ContextValues context,
			long now) {
		Failures.throwIfFatal(e);
		String reason = "assembling the task threw " + Failures.describe(e);
		Callbacks.reportOnce("capture:" + e.getClass().getName(), "phospho: " + reason
				+ "; the task is logged without its content", e);
		return new TaskBuilder(options, context, now).fact(CAPTURE_ERROR, reason);
	}

	/** What {@code log} returns for a task of a session sampled out: its ids, nothing extracted, not exported. */
	static LoggedTask idsOnly(TaskLog<?, ?> log, PhosphoOptions options, @Nullable ContextValues context,
			String session) {
		return new TaskBuilder(options, context, System.currentTimeMillis())
				.identity(session, log.taskId, log.userId, log.versionId).flag(log.flag).build();
	}

	private ConversionBudget budget() {
		ConversionBudget b = budget;
		if (b == null) {
			b = new ConversionBudget(maxChars);
			budget = b;
		}
		return b;
	}

	/**
	 * {@link Plain#of(Object, ConversionBudget)} under the task's budget. A string of at most
	 * {@code maxChars + 1} chars is returned as it is, as that conversion returns it: what it counts
	 * of such a string matters to nothing else (each conversion bounds itself from where it starts).
	 */
	private @Nullable Object plain(@Nullable Object value) {
		if (value instanceof String s && s.length() <= (long) maxChars + 1) {
			return s;
		}
		return Plain.of(value, budget());
	}

	/** The input: its text (the custom extractor first), system prompt, raw form and type. */
	<I> TaskBuilder input(@Nullable I input, @Nullable Function<? super I, ? extends @Nullable String> toText,
			boolean rawSet, @Nullable Object raw) {
		Object plain = plain(input);
		plainIn = plain;
		String text = toText != null && input != null ? Callbacks.applyText("inputToString", toText, input) : null;
		d.input = text != null ? text : Extraction.inputText(plain);
		d.systemPrompt = Extraction.systemPrompt(plain);
		Object plainRaw = rawSet ? plain(raw) : plain;
		plainRawIn = rawSet ? plainRaw : null;
		d.rawInput = RawShapes.fit(plainRaw, false);
		d.rawInputTypeName = typeName(rawSet ? raw : input);
		return this;
	}

	/** A value as output, as {@code log} extracts it: text, model, usage, raw form and type. */
	<O> TaskBuilder output(@Nullable O output, @Nullable Function<? super O, ? extends @Nullable String> toText,
			boolean rawSet, @Nullable Object raw) {
		Object plain = plain(output);
		plainOut = plain;
		String text = toText != null && output != null ? Callbacks.applyText("outputToString", toText, output) : null;
		d.output = text != null ? text : Extraction.outputText(plain);
		d.model = Extraction.model(null, plain);
		d.usage = Usages.of(plain);
		d.rawOutput = RawShapes.fit(rawSet ? plain(raw) : plain, true);
		d.rawOutputTypeName = typeName(rawSet ? raw : output);
		return this;
	}

	/**
	 * A stream's output: its text, and its raw output either already bounded as the chunks came
	 * ({@code rawBounded}) or a collected value to convert and bound here.
	 */
	TaskBuilder streamed(String text, @Nullable Object raw, @Nullable String rawTypeName, boolean rawBounded,
			@Nullable Map<String, Object> usage, @Nullable String model, long lastUpdateMillis) {
		d.output = text;
		boundRawOutput = !rawBounded;
		d.rawOutput = rawBounded ? raw : RawShapes.fit(plain(raw), true);
		d.rawOutputTypeName = rawTypeName;
		d.usage = usage;
		d.model = model;
		d.lastUpdate = lastUpdateMillis / 1000;
		return this;
	}

	/** The call's metadata over the Context's, bounded as a whole. */
	TaskBuilder metadata(@Nullable Map<String, Object> call) {
		Map<String, Object> base = context == null ? null : context.metadata();
		d.metadata = (base == null || base.isEmpty()) && (call == null || call.isEmpty()) ? null
				: TaskMaps.merge(base, call, budget());
		return this;
	}

	/** A fact of the library's own (stream status, counts, what failed): added after the bound. */
	TaskBuilder fact(String key, Object value) {
		Map<String, Object> f = facts;
		if (f == null) {
			f = new LinkedHashMap<>();
			facts = f;
		}
		f.put(key, value instanceof String s && s.length() > maxChars ? cut(s, maxChars) : value);
		return this;
	}

	/** Extra top-level keys, bounded as metadata is. */
	TaskBuilder extras(@Nullable Map<String, Object> extras) {
		d.extras = extras == null ? null : TaskMaps.extras(extras, budget());
		return this;
	}

	/** Ids: explicit values win over the Reactor Context, which wins over defaults. */
	TaskBuilder identity(@Nullable String sessionId, @Nullable String taskId, @Nullable String userId,
			@Nullable String versionId) {
		d.projectId = options.projectId();
		d.environment = options.environment();
		String session = firstNonNull(sessionId, context == null ? null : context.sessionId());
		// The ids the library makes are written as text when first read (by the export worker, as a
		// rule): the caller's thread only draws their bits.
		if (session != null) {
			d.sessionId = session;
		}
		else {
			ThreadLocalRandom r = ThreadLocalRandom.current();
			d.madeSessionId = true;
			d.sessionHi = r.nextLong();
			d.sessionLo = r.nextLong();
		}
		String task = firstNonNull(taskId, context == null ? null : context.taskId());
		if (task != null) {
			d.taskId = task;
		}
		else {
			ThreadLocalRandom r = ThreadLocalRandom.current();
			d.madeTaskId = true;
			d.taskHi = r.nextLong();
			d.taskLo = r.nextLong();
		}
		d.userId = firstNonNull(userId, context == null ? null : context.userId());
		String version = firstNonNull(versionId, context == null ? null : context.versionId());
		d.versionId = version != null ? version : options.versionId();
		String test = context == null ? null : context.testId();
		d.testId = test != null ? test : options.testId();
		return this;
	}

	TaskBuilder flag(@Nullable Flag flag) {
		d.flag = flag;
		return this;
	}

	/** The entries the task's listeners add to its metadata (trace ids): the task's own keys win. */
	TaskBuilder listened(Listening listening) {
		if (listening != Listening.NONE) {
			listened = listening.metadata();
		}
		return this;
	}

	/** Flags the task {@code truncated}: something was cut before it reached this builder. */
	TaskBuilder truncated(boolean truncated) {
		d.truncated |= truncated;
		return this;
	}

	@Override
	LoggedTask build() {
		if (d.model == null) {
			d.model = Extraction.model(plainIn, plainOut);
		}
		if (d.model == null && plainRawIn != null) {
			d.model = Extraction.modelOf(plainRawIn);
		}
		Map<String, Object> f = facts;
		if (f != null) {
			Map<String, Object> m = d.metadata == null ? new LinkedHashMap<>() : d.metadata;
			m.putAll(f);
			d.metadata = m;
		}
		Map<String, Object> l = listened;
		if (l != null) {
			Map<String, Object> m = d.metadata == null ? new LinkedHashMap<>() : d.metadata;
			l.forEach((k, v) -> m.putIfAbsent(k, v instanceof String s && s.length() > maxChars ? cut(s, maxChars) : v));
			d.metadata = m;
		}
		ConversionBudget b = budget;
		d.truncated |= b != null && b.truncated();
		limit();
		content(options.contentMode());
		return new LoggedTask(d);
	}

	/** Leaves out what {@link PhosphoOptions.ContentMode} says is not sent; after the bounds, so the lengths are those kept. */
	private void content(PhosphoOptions.ContentMode mode) {
		if (mode == PhosphoOptions.ContentMode.FULL) {
			return;
		}
		d.rawInput = null;
		d.rawOutput = null;
		if (mode == PhosphoOptions.ContentMode.METADATA_ONLY) {
			Map<String, Object> m = d.metadata == null ? new LinkedHashMap<>() : d.metadata;
			m.put("input_chars", (long) d.input.length());
			String output = d.output;
			if (output != null) {
				m.put("output_chars", (long) output.length());
			}
			d.metadata = m;
			d.input = "";
			d.output = null;
			d.systemPrompt = null;
			d.extras = null;
		}
	}

	/**
	 * Cuts what is still over {@code maxChars}: the texts, and a structured raw value, which
	 * becomes its JSON text cut to the cap (the backend warns above about 2 MB per event).
	 */
	private void limit() {
		if (d.usage != null && EventWriter.estimate(d.usage) > maxChars) {
			d.usage = null;
			d.truncated = true;
		}
		d.input = limited(d.input);
		String output = d.output;
		d.output = output == null ? null : limited(output);
		String system = d.systemPrompt;
		d.systemPrompt = system == null ? null : limited(system);
		d.rawInput = limitedRaw(d.rawInput);
		if (boundRawOutput) {
			d.rawOutput = limitedRaw(d.rawOutput);
		}
	}

	private String limited(String s) {
		if (s.length() <= maxChars) {
			return s;
		}
		d.truncated = true;
		return cut(s, maxChars);
	}

	private @Nullable Object limitedRaw(@Nullable Object raw) {
		if (raw instanceof String s) {
			return limited(s);
		}
		if (raw != null && EventWriter.estimate(raw) > maxChars) {
			d.truncated = true;
			return cut(Json.text(raw), maxChars);
		}
		return raw;
	}

	/** The first {@code maxChars} chars, never splitting a surrogate pair. */
	static String cut(String s, int maxChars) {
		int end = maxChars;
		if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
			end--;
		}
		return s.substring(0, end);
	}

	/** The simple name of a value's class (its full name for an anonymous class); {@code null} for null. */
	static @Nullable String typeName(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		// Two per task: a String's without a look-up, any other class's computed once.
		return value instanceof String ? STRING_TYPE : TYPE_NAMES.get(value.getClass());
	}

	private static final String STRING_TYPE = "String";

	private static final ClassValue<String> TYPE_NAMES = new ClassValue<>() {
		@Override
		protected String computeValue(Class<?> type) {
			String simple = type.getSimpleName();
			return simple.isEmpty() ? type.getName() : simple;
		}
	};

	private static @Nullable String firstNonNull(@Nullable String a, @Nullable String b) {
		return a != null ? a : b;
	}
}
