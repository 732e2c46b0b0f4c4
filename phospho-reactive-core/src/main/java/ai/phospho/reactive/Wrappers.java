package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Failures;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The functions behind {@code wrap}, {@code wrapMono} and {@code wrapFlux}, as the Python SDK's
 * {@code phospho.wrap}: the input is the argument (two arguments: {@code {"0": a, "1": b}}, none:
 * {@code ""}), the output the result. A function that throws is logged with the exception in
 * {@code metadata.error} and the exception is rethrown unchanged. The client is looked up at each
 * call, so a function wrapped before {@code Phospho.init} works once it has run.
 */
final class Wrappers {

	private Wrappers() {
	}

	static <I, O> Function<I, O> function(Supplier<TaskSink> sinks, Function<? super I, ? extends O> fn,
			@Nullable Map<String, ?> metadata) {
		Objects.requireNonNull(fn, "fn");
		return in -> call(sinks.get(), in, () -> fn.apply(in), metadata);
	}

	static <A, B, O> BiFunction<A, B, O> biFunction(Supplier<TaskSink> sinks,
			BiFunction<? super A, ? super B, ? extends O> fn, @Nullable Map<String, ?> metadata) {
		Objects.requireNonNull(fn, "fn");
		return (a, b) -> {
			Map<String, @Nullable Object> args = new LinkedHashMap<>(4);
			args.put("0", a);
			args.put("1", b);
			return call(sinks.get(), args, () -> fn.apply(a, b), metadata);
		};
	}

	static <O> Supplier<O> supplier(Supplier<TaskSink> sinks, Supplier<? extends O> fn,
			@Nullable Map<String, ?> metadata) {
		Objects.requireNonNull(fn, "fn");
		return () -> call(sinks.get(), "", fn, metadata);
	}

	static <I, O> Function<I, Mono<O>> mono(Supplier<TaskSink> sinks,
			Function<? super I, ? extends Mono<? extends O>> fn, @Nullable Map<String, ?> metadata) {
		Objects.requireNonNull(fn, "fn");
		return in -> {
			TaskSink sink = sinks.get();
			Mono<? extends O> mono = assemble(sink, in, fn, metadata);
			StreamLog<O> spec = spec(in, metadata);
			return MonoLogValue.create(mono, sink, spec);
		};
	}

	static <I, O> Function<I, Flux<O>> flux(Supplier<TaskSink> sinks,
			Function<? super I, ? extends Flux<? extends O>> fn, @Nullable Predicate<? super O> stop,
			@Nullable Map<String, ?> metadata) {
		Objects.requireNonNull(fn, "fn");
		return in -> {
			TaskSink sink = sinks.get();
			Flux<? extends O> flux = assemble(sink, in, fn, metadata);
			StreamLog<O> spec = spec(in, metadata);
			if (stop != null) {
				spec.stop(stop);
			}
			return FluxLogStream.create(flux, sink, spec);
		};
	}

	/** Calls a function returning a publisher: only a synchronous throw (or a null) is logged here. */
	private static <I, P> P assemble(TaskSink sink, I in, Function<? super I, ? extends P> fn,
			@Nullable Map<String, ?> metadata) {
		long start = System.nanoTime();
		try {
			return Objects.requireNonNull(fn.apply(in), "the wrapped function returned null instead of a publisher");
		}
		catch (RuntimeException | Error e) {
			log(sink, in, null, metadata, start, e);
			throw e;
		}
	}

	private static <O> O call(TaskSink sink, @Nullable Object in, Supplier<? extends O> body,
			@Nullable Map<String, ?> metadata) {
		long start = System.nanoTime();
		O out;
		try {
			out = body.get();
		}
		catch (RuntimeException | Error e) {
			log(sink, in, null, metadata, start, e);
			throw e;
		}
		log(sink, in, out, metadata, start, null);
		return out;
	}

	private static <O> StreamLog<O> spec(@Nullable Object in, @Nullable Map<String, ?> metadata) {
		StreamLog<O> spec = StreamLog.of(in == null ? "" : in);
		if (metadata != null) {
			spec.metadata(metadata);
		}
		return spec;
	}

	private static void log(TaskSink sink, @Nullable Object in, @Nullable Object out,
			@Nullable Map<String, ?> metadata, long startNanos, @Nullable Throwable error) {
		try {
			Map<String, Object> m = new LinkedHashMap<>();
			if (metadata != null) {
				m.putAll(metadata);
			}
			m.put("latency_ms", (System.nanoTime() - startNanos) / 1_000_000);
			if (error != null) {
				m.put("error", Failures.describe(error));
			}
			sink.log(TaskLog.of(in == null ? "" : in).output(out).metadata(m));
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			Callbacks.reportOnce("wrap-task:" + e.getClass().getName(),
					"phospho: the task of a wrapped call could not be logged", e);
		}
	}
}
