package ai.phospho.reactive.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The common part of the test kit's mock servers: a Reactor Netty server on {@code 127.0.0.1}
 * and an ephemeral port, that can be stopped and started again on the same port to play an outage.
 * A subclass declares its routes and calls {@link #listen()} at the end of its constructor.
 */
public abstract class LoopbackServer implements AutoCloseable {

	private volatile @Nullable DisposableServer server;
	private int port;

	protected LoopbackServer() {
	}

	/** The routes of this server; called at every (re)start. */
	protected abstract void routes(HttpServerRoutes routes);

	/** Binds an ephemeral port; for the subclass's constructor. */
	protected final void listen() {
		DisposableServer s = bind(0);
		server = s;
		port = s.port();
	}

	private DisposableServer bind(int p) {
		return HttpServer.create().host("127.0.0.1").port(p).route(this::routes).bindNow(Duration.ofSeconds(10));
	}

	/** {@code http://127.0.0.1:<port>}. */
	public String rootUrl() {
		return "http://127.0.0.1:" + port;
	}

	public int port() {
		return port;
	}

	/** Stops listening and closes every connection; the port stays this server's for {@link #restart()}. */
	public synchronized void stop() {
		DisposableServer s = server;
		if (s != null) {
			server = null;
			// Reactor Netty waits for the connections' requests to end; five seconds were once not
			// enough for the examples' application test at the end of a full build on two busy cores.
			s.disposeNow(Duration.ofSeconds(30));
		}
	}

	/** Listens again on the same port; does nothing when running. */
	public synchronized void restart() {
		if (server == null) {
			server = bind(port);
		}
	}

	public boolean isRunning() {
		return server != null;
	}

	/** Same as {@link #stop()}. */
	@Override
	public void close() {
		stop();
	}
}
