package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

/**
 * Keeps every exported task in memory (or only counts them); the core's own tests cannot use the
 * test kit's InMemoryTaskExporter, which depends on core.
 */
final class CollectingExporter implements TaskExporter {

	private final Queue<LoggedTask> tasks = new ConcurrentLinkedQueue<>();
	private final AtomicLong count = new AtomicLong();
	private final boolean keep;

	CollectingExporter() {
		this(true);
	}

	CollectingExporter(boolean keep) {
		this.keep = keep;
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		if (keep) {
			tasks.addAll(batch);
		}
		count.addAndGet(batch.size());
		return Mono.just(ExportResult.accepted(batch.size()));
	}

	long count() {
		return count.get();
	}

	List<LoggedTask> tasks() {
		return new ArrayList<>(tasks);
	}

	/** A client exporting here, without a shutdown hook. */
	PhosphoClient client() {
		return client(PhosphoOptions.DEFAULT_MAX_FIELD_CHARS);
	}

	PhosphoClient client(int maxFieldChars) {
		return PhosphoClient.create(PhosphoOptions.builder()
				.exporter(this)
				.shutdownHook(false)
				.maxQueueSize(100_000)
				.lingerDelay(Duration.ofMillis(20))
				.maxFieldChars(maxFieldChars)
				.build());
	}

	/** Flushes {@code client} and returns every task exported so far. */
	List<LoggedTask> flushed(PhosphoClient client) {
		client.flush().block(Duration.ofSeconds(5));
		return tasks();
	}

	/** Flushes {@code client} until at least {@code n} tasks were exported (tasks logged on other threads), at most 5 s. */
	List<LoggedTask> await(PhosphoClient client, int n) {
		return Mono.defer(() -> client.flush().then(Mono.fromSupplier(this::tasks)))
				.filter(tasks -> tasks.size() >= n)
				.repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(10)))
				.block(Duration.ofSeconds(5));
	}

	/** Flushes {@code client} and returns the one task exported so far. */
	LoggedTask only(PhosphoClient client) {
		List<LoggedTask> all = flushed(client);
		if (all.size() != 1) {
			throw new AssertionError("expected exactly one task, got " + all.size() + ": " + all);
		}
		return all.get(0);
	}
}
