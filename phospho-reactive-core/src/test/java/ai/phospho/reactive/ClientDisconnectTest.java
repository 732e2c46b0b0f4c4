package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that disconnects from a streamed HTTP response leaves a cancelled task with the partial text. */
class ClientDisconnectTest {

	@Test
	void aClientDisconnectingMidStreamProducesACancelledTaskWithThePartialText() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = exporter.client();
		DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
				.route(routes -> routes.get("/stream", (req, res) -> res.sendString(
						Flux.interval(Duration.ofMillis(20)).map(i -> "chunk" + i + "\n")
								.transform(client.logStream("stream me")))))
				.bindNow();
		try {
			HttpClient.newConnection()
					.get().uri("http://127.0.0.1:" + server.port() + "/stream")
					.responseContent().asString()
					.takeUntil(s -> s.contains("chunk1"))
					.then()
					.block(Duration.ofSeconds(5));

			List<LoggedTask> tasks = exporter.await(client, 1);
			assertThat(tasks).hasSize(1);
			LoggedTask t = tasks.get(0);
			assertThat(t.input()).isEqualTo("stream me");
			assertThat(t.output()).startsWith("chunk0\nchunk1\n");
			assertThat(t.metadata()).containsEntry("stream_status", "cancelled");
			assertThat((Long) t.metadata().get("chunk_count")).isGreaterThanOrEqualTo(2L);
		}
		finally {
			server.disposeNow(Duration.ofSeconds(5));
			client.shutdown().block(Duration.ofSeconds(5));
		}
	}
}
