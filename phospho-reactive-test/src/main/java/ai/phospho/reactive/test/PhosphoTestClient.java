package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PhosphoClient} that exports to memory, for tests: short linger delay, no shutdown hook,
 * and {@link #tasks()} that flushes before it reads. {@link #close()} shuts it down, and, when it
 * was {@linkplain #install() installed} as the client of the static {@link Phospho} API, puts back
 * the client that was there before.
 *
 * <pre>{@code
 * try (PhosphoTestClient phospho = PhosphoTestClient.create().install()) {
 *     Phospho.log("in", "out");
 *     assertThat(phospho.tasks()).extracting(LoggedTask::output).containsExactly("out");
 * }
 * }</pre>
 *
 * Or let {@link PhosphoClientExtension} create, install and close one per test.
 */
public final class PhosphoTestClient implements AutoCloseable {

	/** How long {@link #tasks()} and {@link #close()} wait at most. */
	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final InMemoryTaskExporter exporter = new InMemoryTaskExporter();
	private final PhosphoClient client;
	private boolean installed;
	private @Nullable PhosphoClient previous;

	private PhosphoTestClient(PhosphoOptionsBuilder options) {
		this.client = PhosphoClient.create(options.exporter(exporter).shutdownHook(false).build());
	}

	/** A client with the default options, a 10 ms linger delay and no shutdown hook. */
	public static PhosphoTestClient create() {
		return create(PhosphoOptions.builder().lingerDelay(Duration.ofMillis(10)));
	}

	/** A client with these options; its exporter and shutdown hook are set here. */
	public static PhosphoTestClient create(PhosphoOptionsBuilder options) {
		return new PhosphoTestClient(options);
	}

	/** Makes this the client of the static {@link Phospho} API until {@link #close()}. */
	public synchronized PhosphoTestClient install() {
		if (!installed) {
			previous = Phospho.use(client);
			installed = true;
		}
		return this;
	}

	public PhosphoClient client() {
		return client;
	}

	public InMemoryTaskExporter exporter() {
		return exporter;
	}

	/** Every task logged so far, once exported: flushes first. */
	public List<LoggedTask> tasks() {
		client.flush().block(TIMEOUT);
		return exporter.tasks();
	}

	/**
	 * The tasks logged so far once there are at least {@code n}, or after {@code timeout} those there
	 * are: a cancelled stream logs its task on the cancelling thread, after the subscriber returned.
	 */
	public List<LoggedTask> awaitTasks(int n, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<LoggedTask> tasks = tasks();
		while (tasks.size() < n && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(20_000_000);
			tasks = tasks();
		}
		return tasks;
	}

	/** The one task logged so far; {@link AssertionError} when there is not exactly one. */
	public LoggedTask onlyTask() {
		List<LoggedTask> tasks = tasks();
		if (tasks.size() != 1) {
			throw new AssertionError("expected exactly one task, got " + tasks.size() + ": " + tasks);
		}
		return tasks.get(0);
	}

	/** Shuts the client down and, if it was installed, restores the static API's previous client. */
	@Override
	public synchronized void close() {
		client.shutdown().block(TIMEOUT);
		if (installed) {
			installed = false;
			PhosphoClient p = previous;
			previous = null;
			if (p != null) {
				Phospho.use(p);
			}
			else {
				Phospho.reset();
			}
		}
	}

	@Override
	public String toString() {
		return "PhosphoTestClient{" + exporter + '}';
	}
}
