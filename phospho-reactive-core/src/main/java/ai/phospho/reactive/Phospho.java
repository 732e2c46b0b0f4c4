package ai.phospho.reactive;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The static entry point, as the Python SDK's {@code phospho} module.
 *
 * <pre>{@code
 * Phospho.init();                                   // PHOSPHO_API_KEY, PHOSPHO_PROJECT_ID
 * Phospho.log("Hello! This is what the user asked", "This is the response");
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

	/** Initialises with these options; a previous client is shut down (flushed) in the background. */
	public static PhosphoClient init(PhosphoOptions options) {
		Objects.requireNonNull(options, "options");
		PhosphoClient created = PhosphoClient.create(options);
		PhosphoClient previous;
		synchronized (Phospho.class) {
			previous = client;
			client = created;
		}
		if (previous != null) {
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
