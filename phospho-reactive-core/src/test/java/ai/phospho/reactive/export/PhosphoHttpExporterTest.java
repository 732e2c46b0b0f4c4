package ai.phospho.reactive.export;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.phospho.reactive.Flag;
import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.TestSupport;
import ai.phospho.reactive.internal.KeyRedactor;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP exporter against a real Reactor Netty server on 127.0.0.1. */
class PhosphoHttpExporterTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);
	static final String KEY = "phospho-test-key-8c1f0e";

	/** One request as the server saw it. */
	record Received(String uri, String project, Map<String, String> headers, JsonNode body) {
	}

	final List<Received> received = new CopyOnWriteArrayList<>();
	volatile int status = 200;
	/** When true, the reply refuses the first event with error_in_log. */
	volatile boolean rejectFirst;
	DisposableServer server;
	PhosphoClient client;

	@BeforeEach
	void startServer() {
		server = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.route(routes -> routes.post("/v2/log/{project}", (req, res) -> req.receive().aggregate().asString()
						.defaultIfEmpty("")
						.flatMap(text -> {
							Map<String, String> headers = new ConcurrentHashMap<>();
							req.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
							JsonNode body = TestSupport.tree(text);
							received.add(new Received(req.uri(), req.param("project"), headers, body));
							return Mono.just(reply(body));
						})
						.flatMap(reply -> res.status(HttpResponseStatus.valueOf(status))
								.header("content-type", "application/json")
								.sendString(Mono.just(reply)).then())))
				.bindNow(TIMEOUT);
	}

	String reply(JsonNode body) {
		if (status != 200) {
			return "{\"detail\":\"internal error\"}";
		}
		List<String> events = new ArrayList<>();
		for (JsonNode e : body.get("batched_log_events")) {
			events.add(rejectFirst && events.isEmpty() ? "{\"error_in_log\":\"quota reached\"}" : e.toString());
		}
		return "{\"logged_events\":[" + String.join(",", events) + "]}";
	}

	@AfterEach
	void stop() {
		if (client != null) {
			client.shutdown().block(TIMEOUT);
		}
		server.disposeNow(TIMEOUT);
	}

	PhosphoOptionsBuilder options() {
		return PhosphoOptions.builder().apiKey(KEY).projectId("proj-42")
				.baseUrl("http://127.0.0.1:" + server.port() + "/").shutdownHook(false);
	}

	/** A 500 is retried until maxRetryDuration: here it is spent before the first retry. */
	PhosphoOptionsBuilder noRetries() {
		return options().httpExporter(http -> noRetries(http));
	}

	static PhosphoHttpExporterBuilder noRetries(PhosphoHttpExporterBuilder http) {
		return http.initialBackoff(Duration.ofMillis(50)).maxRetryDuration(Duration.ofMillis(1));
	}

	PhosphoHttpExporterBuilder exporter() {
		return PhosphoHttpExporter.builder().apiKey(KEY).projectId("proj-42")
				.baseUrl("http://127.0.0.1:" + server.port() + "/");
	}

	@Test
	void aBatchIsPostedToTheProjectWithTheKeyAndEveryEvent() {
		client = PhosphoClient.create(options().build());
		assertThat(client.toString()).contains("exporter=PhosphoHttpExporter{");
		LoggedTask a = client.log("q1", "a1");
		LoggedTask b = client.log(TaskLog.of(List.of(TestSupport.message("user", "q2")))
				.output(TestSupport.chatCompletion("a2")).flag(Flag.SUCCESS));

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(received).hasSize(1);
		Received r = received.get(0);
		assertThat(r.project()).isEqualTo("proj-42");
		assertThat(r.headers()).containsEntry("authorization", "Bearer " + KEY)
				.containsEntry("content-type", "application/json")
				.containsEntry("accept", "application/json");
		JsonNode events = r.body().get("batched_log_events");
		assertThat(r.body().size()).isEqualTo(1);
		assertThat(events.isArray()).isTrue();
		assertThat(events.size()).isEqualTo(2);
		assertThat(events.get(0)).isEqualTo(TestSupport.treeOfMap(a));
		assertThat(events.get(1)).isEqualTo(TestSupport.treeOfMap(b));
		assertThat(events.get(0).get("project_id").stringValue()).isEqualTo("proj-42");
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(2);
		assertThat(stats.rejected()).isZero();
		assertThat(stats.batches()).isEqualTo(1);
	}

	@Test
	void theHttpClientCustomiserRunsAfterTheExportersOwnConfiguration() {
		PhosphoHttpExporter exporter = exporter()
				.httpClient(http -> http.headers(h -> h.set("x-proxy-auth", "one")))
				.httpClient(http -> http.headers(h -> h.add("x-trace", "two").set("accept", "application/x-ndjson")))
				.build();
		try {
			StepVerifier.create(exporter.export(List.of(TestSupport.task("q", "a"))))
					.expectNext(ExportResult.accepted(1))
					.expectComplete()
					.verify(TIMEOUT);
		}
		finally {
			exporter.shutdown().block(TIMEOUT);
		}

		assertThat(received).singleElement().satisfies(r -> assertThat(r.headers())
				.containsEntry("x-proxy-auth", "one").containsEntry("x-trace", "two")
				.containsEntry("accept", "application/x-ndjson")
				.containsEntry("authorization", "Bearer " + KEY));
	}

	@Test
	void theProjectIdIsPercentEncodedAsAPathSegment() {
		client = PhosphoClient.create(options().projectId("my project/\u00e9").build());
		client.log("q", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(received).singleElement().satisfies(r -> assertThat(r.uri()).isEqualTo("/v2/log/my%20project%2F%C3%A9"));
	}

	@Test
	void anErrorInLogEntryIsCountedAsRejected() {
		rejectFirst = true;
		client = PhosphoClient.create(options().build());
		client.log("q1", "a1");
		client.log("q2", "a2");
		client.log("q3", "a3");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		PhosphoStats stats = client.stats();
		assertThat(stats.rejected()).isEqualTo(1);
		assertThat(stats.exported()).isEqualTo(2);
		assertThat(stats.failed()).isZero();
	}

	@Test
	void aReplyIsReadForRefusalsOnlyWhenItNamesErrorInLog() {
		client = PhosphoClient.create(options().build());
		List<LoggedTask> batch = List.of(client.log("error_in_log", "a"), client.log("b", "c"));
		byte[] accepted = "{\"logged_events\":[{\"input\":\"error_in_log\"},{\"input\":\"b\"}]}"
				.getBytes(StandardCharsets.UTF_8);
		byte[] refused = "{\"logged_events\":[{\"input\":\"x\"},{\"error_in_log\":\"quota\"}]}"
				.getBytes(StandardCharsets.UTF_8);

		assertThat(PhosphoHttpExporter.result(accepted, batch, new KeyRedactor(KEY))).isEqualTo(ExportResult.accepted(2));
		assertThat(PhosphoHttpExporter.result(refused, batch, new KeyRedactor(KEY))).isEqualTo(new ExportResult(1, 1));
		assertThat(PhosphoHttpExporter.result(new byte[0], batch, new KeyRedactor(KEY))).isEqualTo(ExportResult.accepted(2));
	}

	@Test
	void aServerErrorFailsTheBatchWithAMessageWithoutTheKey() {
		status = 500;
		PhosphoHttpExporter exporter = noRetries(exporter()).build();
		try {
			StepVerifier.create(exporter.export(List.of(TestSupport.task("q", "a"))))
					.expectErrorSatisfies(e -> {
						assertThat(e).isInstanceOf(PhosphoExportException.class);
						// Retries are spent: the error says so and carries the server's reply.
						assertThat(e.getMessage()).contains("maxRetryDuration").contains("replied 500")
								.doesNotContain(KEY);
					})
					.verify(TIMEOUT);
		}
		finally {
			exporter.shutdown().block(TIMEOUT);
		}
	}

	@Test
	void aServerErrorCountsFailedAndTheCallerNeverSeesIt() {
		status = 500;
		client = PhosphoClient.create(noRetries().build());
		client.log("q1", "a1");
		client.log("q2", "a2");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		PhosphoStats stats = client.stats();
		assertThat(stats.failed()).isEqualTo(2);
		assertThat(stats.exported()).isZero();
		assertThat(stats.lastError()).contains("500").doesNotContain(KEY);
	}

	@Test
	void theBodyIsTheBatchedLogEventsObject() {
		LoggedTask t = TestSupport.task("q", "a");
		PhosphoHttpExporter exporter = PhosphoHttpExporter.builder()
				.apiKey(KEY).projectId("p").baseUrl("http://127.0.0.1:1").build();
		io.netty.buffer.ByteBuf buf = exporter.body(io.netty.buffer.ByteBufAllocator.DEFAULT, List.of(t, t));
		try {
			JsonNode body = TestSupport.tree(buf.toString(StandardCharsets.UTF_8));
			assertThat(body.get("batched_log_events").size()).isEqualTo(2);
			assertThat(body.get("batched_log_events").get(1)).isEqualTo(TestSupport.treeOfMap(t));
		}
		finally {
			buf.release();
			exporter.shutdown().block(Duration.ofSeconds(5));
		}
	}
}
