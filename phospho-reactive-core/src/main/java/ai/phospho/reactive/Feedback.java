package ai.phospho.reactive;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.internal.PhosphoApi;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Sends users' feedback for a client: through the HTTP exporter's connections, or, when tasks go to
 * another exporter, through one API client of the client's own, created at the first call and
 * closed with the client.
 */
final class Feedback {

	private final PhosphoOptions options;
	private final @Nullable PhosphoApi exporterApi;
	private @Nullable PhosphoApi own;

	Feedback(PhosphoOptions options, TaskExporter exporter) {
		this.options = options;
		this.exporterApi = PhosphoApi.of(exporter);
	}

	Mono<Void> send(String taskId, Flag flag, @Nullable String notes, BooleanSupplier shutDown) {
		PhosphoApi api = exporterApi;
		if (api != null) {
			return api.userFeedback(taskId, flag, notes);
		}
		if (options.apiKey() == null || options.projectId() == null) {
			return Mono.error(new IllegalStateException(
					"userFeedback needs apiKey and projectId (PHOSPHO_API_KEY, PHOSPHO_PROJECT_ID)"));
		}
		return Mono.defer(() -> {
			PhosphoApi mine = own(shutDown);
			if (mine != null) {
				return mine.userFeedback(taskId, flag, notes);
			}
			// Shut down: the client's own API client is closed, so one serves this call only.
			return Mono.usingWhen(Mono.fromSupplier(() -> create(options)),
					once -> once.userFeedback(taskId, flag, notes), PhosphoApi::shutdown);
		});
	}

	/** The client's own API client; {@code null} once shut down, so that none is created after the one closed. */
	private synchronized @Nullable PhosphoApi own(BooleanSupplier shutDown) {
		if (own == null && !shutDown.getAsBoolean()) {
			own = create(options);
		}
		return own;
	}

	private static PhosphoApi create(PhosphoOptions options) {
		return Objects.requireNonNull(PhosphoApi.of(DefaultExporters.httpExporter(options).build()),
				"the HTTP exporter's API client");
	}

	/** Closes the client's own API client, if any; never fails. */
	Mono<Void> close() {
		PhosphoApi api;
		synchronized (this) {
			api = own;
			own = null;
		}
		// Like the exporter's, its pool is closed on a best-effort basis: shutdown itself never fails for it.
		return api == null ? Mono.empty() : api.shutdown().onErrorResume(e -> Mono.empty());
	}
}
