package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Extraction;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RawShapes;
import ai.phospho.reactive.internal.VersionIds;
import org.jspecify.annotations.Nullable;

/**
 * Turns what the caller passed into a {@link LoggedTask}: extraction, copies, defaults and limits.
 * Runs on the caller's thread and never throws for any value it is given.
 */
final class Tasks {

	/** Event fields without a setter of their own that the backend types as strings. */
	private static final String[] STRING_EXTRAS = {"test_id", "step_id"};

	private Tasks() {
	}

	/** The metadata key of a task whose capture failed in part: what threw. */
	static final String CAPTURE_ERROR = "capture_error";

	/** Never throws but for a JVM error: a task that cannot be assembled is logged without its content. */
	static <I, O> LoggedTask create(TaskLog<I, O> log, PhosphoOptions options, @Nullable ContextValues context) {
		try {
			return build(log, options, context);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			String reason = "assembling the task threw " + Failures.describe(e);
			Callbacks.reportOnce("capture:" + e.getClass().getName(), "phospho: " + reason
					+ "; the task is logged without its content", e);
			TaskDraft d = new TaskDraft();
			d.clientCreatedAt = nowSeconds();
			Map<String, Object> metadata = new LinkedHashMap<>();
			metadata.put(CAPTURE_ERROR, reason);
			d.metadata = metadata;
			fillIdentity(d, options, context, log.sessionId, log.taskId, log.userId, log.versionId);
			d.flag = log.flag;
			return d.build();
		}
	}

	private static <I, O> LoggedTask build(TaskLog<I, O> log, PhosphoOptions options, @Nullable ContextValues context) {
		TaskDraft d = new TaskDraft();
		d.clientCreatedAt = nowSeconds();
		// Conversion stops near the cap: a huge value costs the caller's thread no more than what is kept.
		Plain.Budget budget = new Plain.Budget(options.maxFieldChars());

		Object plainIn = Plain.of(log.input, budget);
		String inputText = null;
		if (log.inputToString != null && log.input != null) {
			inputText = Callbacks.applyText("inputToString", log.inputToString, log.input);
		}
		d.input = inputText != null ? inputText : Extraction.inputText(plainIn);

		Object plainOut = Plain.of(log.output, budget);
		String outputText = null;
		if (log.outputToString != null && log.output != null) {
			outputText = Callbacks.applyText("outputToString", log.outputToString, log.output);
		}
		d.output = outputText != null ? outputText : Extraction.outputText(plainOut);

		d.systemPrompt = Extraction.systemPrompt(plainIn);
		d.model = Extraction.model(plainIn, plainOut);
		d.usage = Extraction.usage(plainOut);

		d.rawInput = RawShapes.fit(log.rawInputSet ? Plain.of(log.rawInput, budget) : plainIn, false);
		d.rawInputTypeName = typeName(log.rawInputSet ? log.rawInput : log.input);
		d.rawOutput = RawShapes.fit(log.rawOutputSet ? Plain.of(log.rawOutput, budget) : plainOut, true);
		d.rawOutputTypeName = typeName(log.rawOutputSet ? log.rawOutput : log.output);

		d.metadata = merge(context == null ? null : context.metadata(), log.metadata, budget);
		if (log.extras != null) {
			d.extras = extras(log.extras, budget);
		}
		fillIdentity(d, options, context, log.sessionId, log.taskId, log.userId, log.versionId);
		d.flag = log.flag;
		d.truncated = budget.truncated();
		limit(d, options.maxFieldChars());
		limitRaw(d, options.maxFieldChars(), true);
		return d.build();
	}

	/** Ids and fixed fields: explicit values win over the Reactor Context, which wins over defaults. */
	static void fillIdentity(TaskDraft d, PhosphoOptions options, @Nullable ContextValues context,
			@Nullable String sessionId, @Nullable String taskId, @Nullable String userId, @Nullable String versionId) {
		d.projectId = options.projectId();
		d.environment = options.environment();
		String session = firstNonNull(sessionId, context == null ? null : context.sessionId());
		d.sessionId = session != null ? session : VersionIds.newSessionId();
		String task = firstNonNull(taskId, context == null ? null : context.taskId());
		d.taskId = task != null ? task : VersionIds.newTaskId();
		d.userId = firstNonNull(userId, context == null ? null : context.userId());
		String version = firstNonNull(versionId, context == null ? null : context.versionId());
		d.versionId = version != null ? version : options.versionId();
	}

	/** Cuts input, output, system prompt and raw strings to {@code maxChars}, flagging the task {@code truncated}. */
	static void limit(TaskDraft d, int maxChars) {
		if (d.usage != null && EventWriter.estimate(d.usage) > maxChars) {
			d.usage = null;
			d.truncated = true;
		}
		if (d.input.length() > maxChars) {
			d.input = cut(d.input, maxChars);
			d.truncated = true;
		}
		if (d.output != null && d.output.length() > maxChars) {
			d.output = cut(d.output, maxChars);
			d.truncated = true;
		}
		if (d.systemPrompt != null && d.systemPrompt.length() > maxChars) {
			d.systemPrompt = cut(d.systemPrompt, maxChars);
			d.truncated = true;
		}
		if (d.rawInput instanceof String s && s.length() > maxChars) {
			d.rawInput = cut(s, maxChars);
			d.truncated = true;
		}
		if (d.rawOutput instanceof String s && s.length() > maxChars) {
			d.rawOutput = cut(s, maxChars);
			d.truncated = true;
		}
	}

	/**
	 * Cuts a structured raw value whose JSON is longer than {@code maxChars}: it would double the
	 * event, so it becomes its JSON text cut to the cap (the backend warns above about 2 MB per
	 * event). A stream's list of chunks has its own budget, see {@code StreamCapture}.
	 */
	static void limitRaw(TaskDraft d, int maxChars, boolean output) {
		if (!(d.rawInput instanceof String) && d.rawInput != null && EventWriter.estimate(d.rawInput) > maxChars) {
			d.rawInput = cut(Plain.jsonText(d.rawInput), maxChars);
			d.truncated = true;
		}
		if (output && !(d.rawOutput instanceof String) && d.rawOutput != null
				&& EventWriter.estimate(d.rawOutput) > maxChars) {
			d.rawOutput = cut(Plain.jsonText(d.rawOutput), maxChars);
			d.truncated = true;
		}
	}

	/** The first {@code maxChars} chars, never splitting a surrogate pair. */
	static String cut(String s, int maxChars) {
		int end = maxChars;
		if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
			end--;
		}
		return s.substring(0, end);
	}

	/**
	 * The Context's metadata under the call's, as plain values, bounded as a whole by the budget's
	 * size: entries are kept in order while their JSON fits; the first that does not is kept as its
	 * JSON text cut to the room left, and the rest are left out (the budget says so).
	 */
	static @Nullable Map<String, Object> merge(@Nullable Map<String, Object> base, @Nullable Map<String, Object> top,
			Plain.Budget budget) {
		if ((base == null || base.isEmpty()) && (top == null || top.isEmpty())) {
			return null;
		}
		Map<String, Object> out = new LinkedHashMap<>();
		if (base != null) {
			out.putAll(base);
		}
		if (top != null) {
			out.putAll(plainMap(top, budget));
		}
		return cap(out, budget);
	}

	/** Extra top-level keys, as plain values, bounded as metadata is; the backend's string fields among them as strings. */
	static Map<String, Object> extras(Map<String, Object> extras, Plain.@Nullable Budget budget) {
		Map<String, Object> out = plainMap(extras, budget);
		for (String key : STRING_EXTRAS) {
			Object v = out.get(key);
			if (v != null && !(v instanceof String)) {
				out.put(key, Plain.jsonText(v));
			}
		}
		return budget == null ? out : cap(out, budget);
	}

	/** The entries as plain values; bounded when a budget is given. */
	static Map<String, Object> plainMap(Map<String, Object> map, Plain.@Nullable Budget budget) {
		Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
		for (Map.Entry<String, Object> e : map.entrySet()) {
			out.put(e.getKey(), Plain.of(e.getValue(), budget));
		}
		return out;
	}

	private static Map<String, Object> cap(Map<String, Object> map, Plain.Budget budget) {
		long max = budget.max();
		if (EventWriter.estimate(map) <= max) {
			return map;
		}
		budget.markTruncated();
		Map<String, Object> out = new LinkedHashMap<>();
		long used = 2;
		for (Map.Entry<String, Object> e : map.entrySet()) {
			long size = e.getKey().length() + 4 + EventWriter.estimate(e.getValue());
			if (used + size <= max) {
				out.put(e.getKey(), e.getValue());
				used += size;
				continue;
			}
			long room = max - used - e.getKey().length() - 6;
			if (room > 0) {
				out.put(e.getKey(), cut(Plain.jsonText(e.getValue()), (int) room));
			}
			break;
		}
		return out;
	}

	static @Nullable String typeName(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		String simple = value.getClass().getSimpleName();
		return simple.isEmpty() ? value.getClass().getName() : simple;
	}

	static long nowSeconds() {
		return System.currentTimeMillis() / 1000;
	}

	private static @Nullable String firstNonNull(@Nullable String a, @Nullable String b) {
		return a != null ? a : b;
	}
}
