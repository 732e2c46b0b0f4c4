package ai.phospho.reactive.spring;

import java.time.Duration;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Installs the context's {@link PhosphoClient} for the static {@link Phospho} API when the context
 * starts, and flushes and shuts it down when the context stops.
 *
 * <p>The phase is {@link #PHASE}: it starts before the web server and stops after it (Boot stops
 * the server at {@code DEFAULT_PHASE - 2048}), so the tasks of the last requests are flushed; and it
 * stops before Spring's {@code ReactorResourceFactory} (phase 0), which may dispose the global
 * Reactor Netty resources that the HTTP exporter's event loops come from. The flush waits at most
 * {@code phospho.shutdown-timeout}; closing the exporter gets {@link #EXPORTER_CLOSE_GRACE} more.
 */
final class PhosphoLifecycle implements SmartLifecycle, DisposableBean {

	/** Stops after the web server, before Spring's Reactor Netty resources. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
	static final Duration EXPORTER_CLOSE_GRACE = Duration.ofSeconds(1);

	private static final Logger LOG = Loggers.getLogger(PhosphoLifecycle.class);

	private final PhosphoClient client;
	private volatile boolean running;

	PhosphoLifecycle(PhosphoClient client) {
		this.client = client;
	}

	@Override
	public void start() {
		Phospho.use(client);
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		shutdownAndWait();
	}

	/** Lets the context stop other beans of the same phase while the queue drains. */
	@Override
	public void stop(Runnable callback) {
		running = false;
		client.shutdown()
				.timeout(bound())
				.doFinally(s -> callback.run())
				.subscribe(null, e -> LOG.warn("phospho: shutdown did not finish within {}: {}", bound(),
						e.toString()));
	}

	/** A context that fails to refresh never stops: release the client here. Idempotent. */
	@Override
	public void destroy() {
		running = false;
		if (!client.isShutdown()) {
			shutdownAndWait();
		}
	}

	private void shutdownAndWait() {
		try {
			client.shutdown().block(bound());
		}
		catch (RuntimeException e) {
			LOG.warn("phospho: shutdown did not finish within {}: {}", bound(), e.toString());
		}
	}

	private Duration bound() {
		return client.options().shutdownTimeout().plus(EXPORTER_CLOSE_GRACE);
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}
}
