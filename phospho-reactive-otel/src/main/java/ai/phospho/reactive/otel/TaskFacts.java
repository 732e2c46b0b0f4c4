package ai.phospho.reactive.otel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import org.jspecify.annotations.Nullable;

/**
 * What a task says in the GenAI conventions' terms. Read from the built task only: its plain raw
 * input and, unless it is a stream's list of chunks (converted later, on the export worker, and not
 * here), its raw output; a stream's response id and finish reason then come from the metadata its
 * capture noted as the chunks passed ({@code response_id}, {@code finish_reason}).
 */
record TaskFacts(LoggedTask task, String operation, @Nullable String provider, @Nullable String requestModel,
		@Nullable String errorType) {

	/** The raw output type of a stream whose chunks are converted on the export worker. */
	private static final String DEFERRED_CHUNKS = "Flux";

	static TaskFacts of(LoggedTask task, @Nullable String defaultProvider) {
		Map<String, Object> meta = task.metadata();
		Object raw = task.rawInput();
		Map<?, ?> in = raw instanceof Map<?, ?> m ? m : null;
		String operation = text(meta.get(GenAi.OPERATION_NAME.getKey()));
		if (operation == null) {
			operation = in != null && !in.containsKey("messages") && in.containsKey("prompt") ? "text_completion"
					: GenAi.DEFAULT_OPERATION;
		}
		String provider = text(meta.get(GenAi.PROVIDER_NAME.getKey()));
		String requestModel = in == null ? null : text(in.get("model"));
		return new TaskFacts(task, operation, provider != null ? provider : defaultProvider, requestModel,
				errorType(meta));
	}

	/** The exception's class, from the {@code error} the task records when its call or stream failed. */
	private static @Nullable String errorType(Map<String, Object> meta) {
		Object status = meta.get("stream_status");
		Object error = meta.get("error");
		if (!(error instanceof String e) || status != null && !"error".equals(status)) {
			return null;
		}
		int end = 0;
		while (end < e.length() && e.charAt(end) != ':' && !Character.isWhitespace(e.charAt(end))) {
			end++;
		}
		return end == 0 ? "_OTHER" : e.substring(0, end);
	}

	/** The attributes of the span that are also the metrics' dimensions. */
	void putCommon(AttributesBuilder b) {
		b.put(GenAi.OPERATION_NAME, operation);
		putIfPresent(b, GenAi.PROVIDER_NAME, provider);
		putIfPresent(b, GenAi.REQUEST_MODEL, requestModel);
		putIfPresent(b, GenAi.RESPONSE_MODEL, task.model());
		putIfPresent(b, GenAi.ERROR_TYPE, errorType);
	}

	void putSpanOnly(AttributesBuilder b, int maxChars) {
		Map<?, ?> out = assembledOutput();
		if (out != null) {
			putIfPresent(b, GenAi.RESPONSE_ID, text(out.get("id")));
			List<String> reasons = finishReasons(out);
			if (!reasons.isEmpty()) {
				b.put(GenAi.FINISH_REASONS, reasons);
			}
		}
		else {
			// A stream logged as its chunks: the capture noted the id and the finish reason as they passed.
			putIfPresent(b, GenAi.RESPONSE_ID, text(task.metadata().get("response_id")));
			String reason = text(task.metadata().get("finish_reason"));
			if (reason != null) {
				b.put(GenAi.FINISH_REASONS, List.of(reason));
			}
		}
		Long in = inputTokens();
		if (in != null) {
			b.put(GenAi.INPUT_TOKENS, in);
		}
		Long outTokens = outputTokens();
		if (outTokens != null) {
			b.put(GenAi.OUTPUT_TOKENS, outTokens);
		}
		Double ttfc = timeToFirstChunkSeconds();
		if (ttfc != null) {
			b.put(GenAi.TIME_TO_FIRST_CHUNK, ttfc);
		}
		b.put(GenAi.TASK_ID, task.taskId());
		b.put(GenAi.SESSION_ID, task.sessionId());
		putIfPresent(b, GenAi.USER_ID, task.userId());
		b.put(GenAi.VERSION_ID, task.versionId());
		putIfPresent(b, GenAi.STREAM_STATUS, text(task.metadata().get("stream_status")));
		task.metadata().forEach((k, v) -> {
			// The span's own ids, added to the task by this listener, are the span itself.
			if (!k.equals("trace_id") && !k.equals("span_id")) {
				putValue(b, GenAi.METADATA_PREFIX + k, v, maxChars);
			}
		});
	}

	/** The input, output and system prompt, in the conventions' message form. */
	void putContent(AttributesBuilder b, int maxChars) {
		b.put(GenAi.INPUT_MESSAGES, Content.messages("user", task.input(), null, maxChars));
		String output = task.output();
		if (output != null) {
			Map<?, ?> out = assembledOutput();
			List<String> reasons = out == null ? List.of() : finishReasons(out);
			b.put(GenAi.OUTPUT_MESSAGES,
					Content.messages("assistant", output, reasons.isEmpty() ? null : reasons.get(0), maxChars));
		}
		String system = task.systemPrompt();
		if (system != null) {
			b.put(GenAi.SYSTEM_INSTRUCTIONS, Content.parts(system, maxChars));
		}
	}

	@Nullable Long inputTokens() {
		return task.promptTokens();
	}

	@Nullable Long outputTokens() {
		return task.completionTokens();
	}

	@Nullable Double timeToFirstChunkSeconds() {
		return task.metadata().get("time_to_first_chunk_ms") instanceof Number n ? n.doubleValue() / 1000 : null;
	}

	String errorMessage(int maxChars) {
		Object e = task.metadata().get("error");
		return e == null ? "" : Content.cut(String.valueOf(e), maxChars);
	}

	private @Nullable Map<?, ?> assembledOutput() {
		if (DEFERRED_CHUNKS.equals(task.rawOutputTypeName())) {
			return null;
		}
		return task.rawOutput() instanceof Map<?, ?> m ? m : null;
	}

	/** OpenAI's {@code choices[].finish_reason}, or Ollama's {@code done_reason}. */
	private static List<String> finishReasons(Map<?, ?> out) {
		List<String> reasons = new ArrayList<>(1);
		if (out.get("choices") instanceof List<?> choices) {
			for (Object c : choices) {
				String r = c instanceof Map<?, ?> choice ? text(choice.get("finish_reason")) : null;
				if (r != null) {
					reasons.add(r);
				}
			}
		}
		String done = text(out.get("done_reason"));
		if (done != null) {
			reasons.add(done);
		}
		return reasons;
	}

	private static void putValue(AttributesBuilder b, String key, @Nullable Object v, int maxChars) {
		if (v instanceof String s) {
			b.put(key, Content.cut(s, maxChars));
		}
		else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
			b.put(key, ((Number) v).longValue());
		}
		else if (v instanceof Number n) {
			b.put(key, n.doubleValue());
		}
		else if (v instanceof Boolean bool) {
			b.put(key, bool);
		}
		else if (v != null) {
			b.put(key, Content.cut(String.valueOf(v), maxChars));
		}
	}

	private static <T> void putIfPresent(AttributesBuilder b, AttributeKey<T> key, @Nullable T value) {
		if (value != null) {
			b.put(key, value);
		}
	}

	private static @Nullable String text(@Nullable Object v) {
		return v instanceof String s && !s.isEmpty() ? s : null;
	}
}
