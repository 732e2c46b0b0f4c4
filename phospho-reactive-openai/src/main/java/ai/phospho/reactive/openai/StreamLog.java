package ai.phospho.reactive.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.TaskLog;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Logs one task per subscription of a stream: the chunks are assembled as they pass, untouched,
 * and the task is logged once, at the final chunk or on complete, error or cancel, whichever
 * comes first. Its metadata says how the stream ended, with the keys and values of the core's
 * stream operator: {@code stream_status} ({@code stopped} at the final chunk, {@code completed},
 * {@code error} or {@code cancelled}), {@code error}, {@code chunk_count}, {@code latency_ms} and
 * {@code time_to_first_chunk_ms}. Unlike the core's, the raw output is the assembled reply (tool
 * calls joined), not the list of chunks.
 *
 * <p>TODO(logStream): the core's {@code PhosphoClient.logStream(input)} does this job once it is
 * merged; the clients then call it in {@code OpenAiClient.logging} and {@code OllamaClient.logging}.
 */
final class StreamLog {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.openai");

	static final String STOPPED = "stopped";
	static final String COMPLETED = "completed";
	static final String ERROR = "error";
	static final String CANCELLED = "cancelled";

	private StreamLog() {
	}

	/** What a stream's chunks add up to. Used on one thread at a time. */
	interface Accumulator<T> {
		/** Adds a chunk; true when it is the final one. */
		boolean add(T chunk);

		/** The output to log: the assembled reply. */
		@Nullable Object output();

		int count();
	}

	static <T> Function<Flux<T>, Flux<T>> of(PhosphoClient phospho, Object input, Supplier<Accumulator<T>> accumulators) {
		return source -> Flux.defer(() -> {
			Subscription<T> s = new Subscription<>(phospho, input, accumulators.get());
			return source.doOnNext(s::next)
					.doOnComplete(() -> s.emit(COMPLETED, null))
					.doOnError(e -> s.emit(ERROR, e))
					.doOnCancel(() -> s.emit(CANCELLED, null));
		});
	}

	/** The state of one subscription; synchronized because a cancel may race with a chunk. */
	private static final class Subscription<T> {
		private final PhosphoClient phospho;
		private final Object input;
		private @Nullable Accumulator<T> acc;
		private final long startNanos = System.nanoTime();
		private long firstNanos;

		Subscription(PhosphoClient phospho, Object input, Accumulator<T> acc) {
			this.phospho = phospho;
			this.input = input;
			this.acc = acc;
		}

		synchronized void next(T chunk) {
			if (acc == null) {
				return;
			}
			if (acc.count() == 0) {
				firstNanos = System.nanoTime();
			}
			if (acc.add(chunk)) {
				emit(STOPPED, null);
			}
		}

		synchronized void emit(String status, @Nullable Throwable error) {
			Accumulator<T> a = acc;
			if (a == null) {
				return;
			}
			// Dropped here: nothing of the stream is retained after its task is handed over.
			acc = null;
			Map<String, Object> metadata = new LinkedHashMap<>();
			metadata.put("stream_status", status);
			if (error != null) {
				metadata.put("error", error.toString());
			}
			metadata.put("chunk_count", (long) a.count());
			metadata.put("latency_ms", (System.nanoTime() - startNanos) / 1_000_000);
			if (a.count() > 0) {
				metadata.put("time_to_first_chunk_ms", (firstNanos - startNanos) / 1_000_000);
			}
			try {
				phospho.log(TaskLog.of(input).output(a.output()).metadata(metadata));
			}
			catch (RuntimeException e) {
				// Logging must never break the caller's stream.
				LOG.warn("phospho: could not log a streamed task: {}", e.toString());
			}
		}
	}
}
