package ai.phospho.reactive.test;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(MockPhosphoServerExtension.class)
class MockPhosphoServerTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MockPhosphoServer server;

	@BeforeEach
	void setUp(MockPhosphoServer server) {
		this.server = server;
	}

	private record Reply(int status, JsonNode body) {
	}

	private Reply post(String path, String key, String body) {
		return HttpClient.create()
				.headers(h -> h.set("Authorization", "Bearer " + key).set("Content-Type", "application/json"))
				.post()
				.uri(server.baseUrl() + path)
				.send((req, out) -> out.sendString(Mono.just(body)))
				.responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("null")
						.map(text -> new Reply(res.status().code(), JSON.readTree(text))))
				.block(Duration.ofSeconds(5));
	}

	private Reply log(String events) {
		return post("/v2/log/" + server.projectId(), server.apiKey(), "{\"batched_log_events\":[" + events + "]}");
	}

	@Test
	void theExtensionInjectsOneRunningServerPerTest(MockPhosphoServer injected) {
		assertThat(injected).isSameAs(server);
		assertThat(injected.isRunning()).isTrue();
		assertThat(injected.baseUrl()).startsWith("http://127.0.0.1:");
	}

	@Test
	void aValidEventIsStoredAndEchoedInLoggedEvents() {
		Reply r = log("{\"input\":\"hi\",\"output\":\"yo\",\"task_id\":\"task_1\",\"client_created_at\":1700000000}");

		assertThat(r.status()).isEqualTo(200);
		assertThat(r.body().get("logged_events").get(0).get("task_id").stringValue()).isEqualTo("task_1");
		assertThat(server.events()).containsExactly(Map.of("input", "hi", "output", "yo", "task_id", "task_1",
				"client_created_at", 1700000000));
		assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer " + server.apiKey());
	}

	@Test
	void withRecordingOffEventsAreValidatedAndCountedButNotRecorded() {
		server.recording(false);

		Reply r = log("{\"input\":\"hi\"},{\"output\":\"no input\"},{\"input\":\"yo\"}");

		assertThat(r.status()).isEqualTo(200);
		assertThat(r.body().get("logged_events").get(1).has("error_in_log")).isTrue();
		assertThat(server.eventCount()).isEqualTo(2);
		assertThat(server.requests()).isEmpty();
		assertThat(server.events()).isEmpty();
	}

	@Test
	void strictValidationRefusesEachBadEventWithItsReason() {
		Reply r = log(String.join(",",
				"{\"input\":\"ok\"}",
				"{\"input\":null}",
				"{\"output\":\"no input\"}",
				"{\"input\":\"x\",\"client_created_at\":1.7e9}",
				"{\"input\":\"x\",\"client_created_at\":\"1700000000\"}",
				"{\"input\":\"x\",\"flag\":\"maybe\"}",
				"{\"input\":\"x\",\"raw_input\":[1,2]}",
				"{\"input\":\"x\",\"raw_output\":[{\"a\":1},\"b\"]}",
				"{\"input\":\"x\",\"task_id\":42}",
				"{\"input\":\"x\",\"raw_output\":[\"a\",null],\"flag\":\"success\",\"metadata\":{\"k\":1}}"));

		List<String> errors = new java.util.ArrayList<>();
		r.body().get("logged_events").forEach(e -> errors.add(e.has("error_in_log") ? e.get("error_in_log").stringValue() : "ok"));
		assertThat(errors).containsExactly(
				"ok",
				"input: must be a string, was null",
				"input: field required",
				"client_created_at: must be an integer, was number 1.7E9",
				"client_created_at: must be an integer, was string \"1700000000\"",
				"flag: must be 'success', 'failure' or null, was \"maybe\"",
				"raw_input: a list must hold only objects or only strings, was [1,2]",
				"raw_output: a list must hold only objects or only strings (or nulls), was [{\"a\":1},\"b\"]",
				"task_id: must be a string or null, was number 42",
				"ok");
		assertThat(server.events()).hasSize(2);
		assertThat(server.requests().get(0).events()).hasSize(10);
	}

	@Test
	void aWrongKeyIs401AndAnotherProjectIs404() {
		assertThat(post("/v2/log/" + server.projectId(), "wrong", "{\"batched_log_events\":[]}").status()).isEqualTo(401);
		assertThat(post("/v2/log/other-project", server.apiKey(), "{\"batched_log_events\":[]}").status()).isEqualTo(404);
		assertThat(log("").status()).isEqualTo(200);
		assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(401, 404, 200);
	}

	@Test
	void scriptedRepliesAreUsedInOrderThenTheNormalBehaviourResumes() {
		server.enqueue(MockReply.status(503), MockReply.status(429).retryAfter("7"),
				MockReply.ok().rejectEvent(0, "quota reached"));

		assertThat(log("{\"input\":\"a\"}").status()).isEqualTo(503);
		assertThat(log("{\"input\":\"a\"}").status()).isEqualTo(429);
		Reply rejected = log("{\"input\":\"a\"},{\"input\":\"b\"}");
		assertThat(rejected.body().get("logged_events").get(0).get("error_in_log").stringValue()).isEqualTo("quota reached");
		assertThat(log("{\"input\":\"c\"}").status()).isEqualTo(200);
		assertThat(server.events()).extracting(e -> e.get("input")).containsExactly("b", "c");
	}

	@Test
	void aBodyOverTheLimitIs413() {
		server.maxBodyBytes(40);
		assertThat(log("{\"input\":\"a rather long input that does not fit\"}").status()).isEqualTo(413);
		assertThat(log("{\"input\":\"a\"}").status()).isEqualTo(200);
	}

	@Test
	void humanEvalIsValidatedAndRecorded() {
		String path = "/v2/tasks/task_9/human-eval";
		assertThat(post(path, server.apiKey(), "{\"human_eval\":\"meh\",\"project_id\":\"test-project\"}").status())
				.isEqualTo(422);
		assertThat(post(path, server.apiKey(),
				"{\"human_eval\":\"success\",\"project_id\":\"test-project\",\"source\":\"user\",\"notes\":null}").status())
				.isEqualTo(200);
		assertThat(server.awaitFeedback(1, Duration.ofSeconds(1))).singleElement()
				.satisfies(f -> assertThat(f.taskId()).isEqualTo("task_9"))
				.satisfies(f -> assertThat(f.body()).containsEntry("human_eval", "success").containsEntry("notes", null));
	}

	@Test
	void stopRefusesConnectionsAndRestartListensOnTheSamePort() {
		int port = server.port();
		server.stop();
		StepVerifier.create(HttpClient.create().get().uri(server.baseUrl() + "/").response())
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectException.class))
				.verify(Duration.ofSeconds(5));

		server.restart();
		assertThat(server.port()).isEqualTo(port);
		assertThat(log("{\"input\":\"back\"}").status()).isEqualTo(200);
	}

	@Test
	void awaitingMoreEventsThanArriveFailsWithWhatWasExpected() {
		log("{\"input\":\"only one\"}");
		assertThat(server.awaitEvents(1, Duration.ofSeconds(1))).hasSize(1);
		assertThatThrownBy(() -> server.awaitEvents(2, Duration.ofMillis(100)))
				.isInstanceOf(AssertionError.class)
				.hasMessageContaining("2 events, got 1");
	}

	@Test
	void aWaiterCompletesWhenTheEventArrives() {
		StepVerifier.create(server.eventsWhen(1))
				.then(() -> log("{\"input\":\"late\"}"))
				.assertNext(events -> assertThat(events).extracting(e -> e.get("input")).containsExactly("late"))
				.verifyComplete();
	}
}
