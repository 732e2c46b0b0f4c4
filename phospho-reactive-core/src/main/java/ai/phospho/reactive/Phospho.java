package ai.phospho.reactive;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The static entry point, as the Python SDK's {@code phospho} module.
 *
 * <pre>{@code
 * Phospho.init();                                   // PHOSPHO_API_KEY, PHOSPHO_PROJECT_ID
 * Phospho.log("Hello! This is what the user asked", "This is the response");
 * chunks.transform(Phospho.logStream(request))      // one task per subscription of a stream
 *     .contextWrite(PhosphoContext.session("s-1").user("u-7"));
 * Phospho.flush().block();                          // or shutdown() at the end
 * }</pre>
 *
 * <p>Each method delegates to the {@link PhosphoClient} of the last {@link #init} or {@link #use}.
 * Logging before either throws {@link IllegalStateException}.
 */
public final class Phospho {

	private static volatile @Nullable PhosphoClient client;

	private Phospho() {
	}

	/**
	 * Initialises from the environment ({@code PHOSPHO_API_KEY}, {@code PHOSPHO_PROJECT_ID},
	 * {@code PHOSPHO_BASE_URL}). Without a key, tasks go to a JSON Lines file, with one warning.
	 */
	public static PhosphoClient init() {
		return init(PhosphoOptions.fromEnvironment().build());
	}

	/**
	 * Initialises with these options. A previous client is shut down (flushed) in the background,
	 * and nothing logged to it is lost: a thread that still holds it (a {@code log} racing this call,
	 * a stream subscribed before) has its tasks handed over to the new client. When both use the
	 * same {@link PhosphoOptionsBuilder#spool spool} directory, this call first waits for the
	 * previous client's shutdown (the directory is one client's at a time; what it could not send
	 * stays spooled for the new one), so it must not be made on a non-blocking thread then.
	 */
	public static PhosphoClient init(PhosphoOptions options) {
		Objects.requireNonNull(options, "options");
		PhosphoClient current = client;
		Path spool = options.spool();
		if (current != null && spool != null && spool.equals(current.options().spool())) {
			// A spool directory is one client's at a time: the previous client flushes and lets go of
			// it first (within its shutdownTimeout); what it could not send stays in the spool, and
			// the new client sends it.
			current.shutdown().block();
		}
		PhosphoClient created = PhosphoClient.create(options);
		PhosphoClient previous;
		synchronized (Phospho.class) {
			previous = client;
			client = created;
		}
		if (previous != null) {
			previous.handOverTo(created);
			previous.shutdown().subscribe(null, e -> { });
		}
		return created;
	}

	/**
	 * Makes an existing client the one the static methods use, for a framework that creates and
	 * closes the client itself (the Spring Boot starter installs its {@code PhosphoClient} bean).
	 * Unlike {@link #init(PhosphoOptions)}, the previous client is not shut down: its owner does.
	 *
	 * @return the client that was installed before, or {@code null}
	 */
	public static @Nullable PhosphoClient use(PhosphoClient client) {
		Objects.requireNonNull(client, "client");
		synchronized (Phospho.class) {
			PhosphoClient previous = Phospho.client;
			Phospho.client = client;
			return previous;
		}
	}

	/**
	 * Forgets the client of the static API, without shutting it down: afterwards the static API
	 * behaves as before any {@link #init}. For tests (see the test kit's {@code PhosphoTestClient})
	 * and for frameworks that own the client's lifecycle.
	 *
	 * @return the client that was installed, or {@code null}
	 */
	public static @Nullable PhosphoClient reset() {
		synchronized (Phospho.class) {
			PhosphoClient previous = client;
			client = null;
			return previous;
		}
	}

	/**
	 * The client of the last {@link #init} or {@link #use}.
	 *
	 * @throws IllegalStateException before {@code init}
	 */
	public static PhosphoClient client() {
		PhosphoClient c = client;
		if (c == null) {
			throw new IllegalStateException("phospho is not initialised: call Phospho.init() first");
		}
		return c;
	}

	private static TaskSink sink() {
		return client().sink();
	}

	/** See {@link PhosphoClient#log(Object, Object)}. */
	public static LoggedTask log(Object input, @Nullable Object output) {
		return client().log(input, output);
	}

	/** See {@link PhosphoClient#log(TaskLog)}. */
	public static LoggedTask log(TaskLog<?, ?> task) {
		return client().log(task);
	}

	/** See {@link PhosphoClient#userFeedback(String, Flag, String)}. */
	public static Mono<Void> userFeedback(String taskId, Flag flag, @Nullable String notes) {
		return Mono.defer(() -> client().userFeedback(taskId, flag, notes));
	}

	/**
	 * See {@link PhosphoClient#logStream(Object)}. The client is looked up when the function is
	 * applied ({@code flux.transform(..)}), which throws {@link IllegalStateException} before {@code init}.
	 */
	public static <T> Function<Flux<T>, Flux<T>> logStream(Object input) {
		StreamLog<T> spec = StreamLog.of(input);
		return flux -> client().logStream(spec).apply(flux);
	}

	/** See {@link PhosphoClient#logStream(Object, Predicate)}; the client as {@link #logStream(Object)}. */
	public static <T> Function<Flux<T>, Flux<T>> logStream(Object input, Predicate<? super T> stop) {
		StreamLog<T> spec = StreamLog.<T>of(input).stop(stop);
		return flux -> client().logStream(spec).apply(flux);
	}

	/** See {@link PhosphoClient#logStream(StreamLog)}; the builder is copied now, the client as {@link #logStream(Object)}. */
	public static <T> Function<Flux<T>, Flux<T>> logStream(StreamLog<? super T> log) {
		StreamLog<? super T> spec = Objects.requireNonNull(log, "log").copy();
		return flux -> client().<T>logStream(spec).apply(flux);
	}

	/** See {@link PhosphoClient#tap(Flux)}. */
	public static <T> Flux<T> tap(Flux<T> flux) {
		return client().tap(flux);
	}

	/** See {@link PhosphoClient#tap(Flux, Predicate)}. */
	public static <T> Flux<T> tap(Flux<T> flux, Predicate<? super T> stop) {
		return client().tap(flux, stop);
	}

	/** See {@link PhosphoClient#logMono(Object, Mono)}. */
	public static <T> Mono<T> logMono(Object input, Mono<T> mono) {
		return client().logMono(input, mono);
	}

	/** See {@link PhosphoClient#logMono(Object)}; the client is looked up when the function is applied. */
	public static <T> Function<Mono<T>, Mono<T>> logMono(Object input) {
		Objects.requireNonNull(input, "input");
		return mono -> client().logMono(input, mono);
	}

	/** See {@link PhosphoClient#wrap(Function)}; the client is looked up at each call. */
	public static <I, O> Function<I, O> wrap(Function<? super I, ? extends O> fn) {
		return Wrappers.function(Phospho::sink, fn, null);
	}

	/** See {@link PhosphoClient#wrap(Function, Map)}. */
	public static <I, O> Function<I, O> wrap(Function<? super I, ? extends O> fn, Map<String, ?> metadata) {
		return Wrappers.function(Phospho::sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** See {@link PhosphoClient#wrap(BiFunction)}. */
	public static <A, B, O> BiFunction<A, B, O> wrap(BiFunction<? super A, ? super B, ? extends O> fn) {
		return Wrappers.biFunction(Phospho::sink, fn, null);
	}

	/** See {@link PhosphoClient#wrap(BiFunction, Map)}. */
	public static <A, B, O> BiFunction<A, B, O> wrap(BiFunction<? super A, ? super B, ? extends O> fn,
			Map<String, ?> metadata) {
		return Wrappers.biFunction(Phospho::sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** See {@link PhosphoClient#wrap(Supplier)}. */
	public static <O> Supplier<O> wrap(Supplier<? extends O> fn) {
		return Wrappers.supplier(Phospho::sink, fn, null);
	}

	/** See {@link PhosphoClient#wrap(Supplier, Map)}. */
	public static <O> Supplier<O> wrap(Supplier<? extends O> fn, Map<String, ?> metadata) {
		return Wrappers.supplier(Phospho::sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** See {@link PhosphoClient#wrapMono(Function)}. */
	public static <I, O> Function<I, Mono<O>> wrapMono(Function<? super I, ? extends Mono<? extends O>> fn) {
		return Wrappers.mono(Phospho::sink, fn, null);
	}

	/** See {@link PhosphoClient#wrapMono(Function, Map)}. */
	public static <I, O> Function<I, Mono<O>> wrapMono(Function<? super I, ? extends Mono<? extends O>> fn,
			Map<String, ?> metadata) {
		return Wrappers.mono(Phospho::sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** See {@link PhosphoClient#wrapFlux(Function, Predicate)}. */
	public static <I, O> Function<I, Flux<O>> wrapFlux(Function<? super I, ? extends Flux<? extends O>> fn,
			Predicate<? super O> stop) {
		return Wrappers.flux(Phospho::sink, fn, Objects.requireNonNull(stop, "stop"), null);
	}

	/** See {@link PhosphoClient#wrapFlux(Function, Predicate, Map)}. */
	public static <I, O> Function<I, Flux<O>> wrapFlux(Function<? super I, ? extends Flux<? extends O>> fn,
			Predicate<? super O> stop, Map<String, ?> metadata) {
		return Wrappers.flux(Phospho::sink, fn, Objects.requireNonNull(stop, "stop"),
				Objects.requireNonNull(metadata, "metadata"));
	}

	/** Completes when everything logged so far is exported; empty before {@code init}. */
	public static Mono<Void> flush() {
		return Mono.defer(() -> {
			PhosphoClient c = client;
			return c == null ? Mono.empty() : c.flush();
		});
	}

	/** Flushes, then releases connections and files; empty before {@code init}. */
	public static Mono<Void> shutdown() {
		return Mono.defer(() -> {
			PhosphoClient c = client;
			return c == null ? Mono.empty() : c.shutdown();
		});
	}

	/** The counters of the current client. */
	public static PhosphoStats stats() {
		return client().stats();
	}
}
