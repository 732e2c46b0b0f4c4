package ai.phospho.reactive;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP exporter is subscribed to on the export worker (and on event loops), without a thread
 * hop. The first subscription to an {@code https} URL loads what Reactor Netty's TLS needs: the QUIC
 * native library (probed for HTTP/3, extracted from its jar) and the default {@code SslContext} (the
 * JDK's trust store), some 1,300 file reads and writes and about 300 ms on a busy machine; that must
 * not happen on the worker. In a JVM of its own: a class initialised by another test would hide it.
 */
@Tag("isolated-jvm")
class HttpsBlockHoundIsolatedTest {

	private static final List<String> BLOCKING = new CopyOnWriteArrayList<>();

	@Test
	void theFirstHttpsExportMakesNoBlockingCallOnTheWorker() throws Exception {
		BlockHound.install(b -> b.blockingMethodCallback(m -> {
			if (BLOCKING.size() < 3) {
				BLOCKING.add(BlockHoundIsolatedTest.blocked(m, 30));
			}
		}));
		int closed;
		try (ServerSocket s = new ServerSocket(0)) {
			closed = s.getLocalPort();
		}
		// Set-up, as at an application's start: on the test thread. Nothing listens: every attempt is refused.
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().apiKey("phk-blockhound").projectId("p")
				.baseUrl("https://127.0.0.1:" + closed).shutdownHook(false)
				.httpExporter(h -> h.maxRetryDuration(Duration.ofMillis(100)))
				.lingerDelay(Duration.ofMillis(10)).build());
		Mono.fromRunnable(() -> client.log("q", "a"))
				.subscribeOn(Schedulers.parallel())
				.then(Mono.defer(client::flush))
				.block(Duration.ofSeconds(20));
		client.shutdown().block(Duration.ofSeconds(20));

		assertThat(BLOCKING).isEmpty();
		assertThat(client.stats().failed()).isEqualTo(1);
	}
}
