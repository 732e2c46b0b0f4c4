package ai.phospho.reactive.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static ai.phospho.reactive.test.MockWire.JSON;

/**
 * A phospho API on an ephemeral {@code 127.0.0.1} port, for tests: it speaks
 * {@code POST /v2/log/{project_id}} and {@code POST /v2/tasks/{task_id}/human-eval}, checks the
 * Bearer key (401) and the project id (404), validates each event with the backend's strict rules
 * and replies {@code logged_events}, with {@code {"error_in_log": reason}} for the events it refuses.
 * It records every request, and the batches and events it stored.
 *
 * <pre>{@code
 * try (MockPhosphoServer server = MockPhosphoServer.start()) {
 *     server.enqueue(MockReply.status(503));                // the first request fails
 *     PhosphoClient client = PhosphoClient.create(server.options().build());
 *     client.log("in", "out");
 *     client.flush().block(Duration.ofSeconds(10));
 *     assertThat(server.awaitEvents(1, Duration.ofSeconds(5))).hasSize(1);
 *     client.shutdown().block();
 * }
 * }</pre>
 *
 * <p>Faults are scripted per request with {@link #enqueue(MockReply...)}; {@link #delay(Duration)}
 * and {@link #maxBodyBytes(long)} apply to every request. {@link #stop()} and {@link #restart()}
 * take it down and up on the same port. Thread-safe.
 */
public final class MockPhosphoServer extends LoopbackServer {

	public static final String DEFAULT_API_KEY = "phospho-test-key";
	public static final String DEFAULT_PROJECT_ID = "test-project";

	private final String apiKey;
	private final String projectId;
	private final Queue<MockReply> script = new ConcurrentLinkedQueue<>();
	private final AtomicInteger inProgress = new AtomicInteger();
	private final AtomicInteger peakInProgress = new AtomicInteger();
	private final Recordings recordings = new Recordings();
	private volatile Duration delay = Duration.ZERO;
	private volatile long maxBodyBytes = Long.MAX_VALUE;
	private volatile boolean recording = true;
	private final AtomicLong eventCount = new AtomicLong();

	private MockPhosphoServer(String apiKey, String projectId) {
		this.apiKey = apiKey;
		this.projectId = projectId;
		listen();
	}

	/** Starts a server that expects {@link #DEFAULT_API_KEY} and {@link #DEFAULT_PROJECT_ID}. */
	public static MockPhosphoServer start() {
		return start(DEFAULT_API_KEY, DEFAULT_PROJECT_ID);
	}

	/** Starts a server that expects this key and project. */
	public static MockPhosphoServer start(String apiKey, String projectId) {
		return new MockPhosphoServer(Objects.requireNonNull(apiKey, "apiKey"),
				Objects.requireNonNull(projectId, "projectId"));
	}

	@Override
	protected void routes(HttpServerRoutes routes) {
		routes.post("/v2/log/{project}", this::log).post("/v2/tasks/{task}/human-eval", this::humanEval);
	}

	/** {@code http://127.0.0.1:<port>}: the {@code baseUrl} of a client. */
	public String baseUrl() {
		return rootUrl();
	}

	public String apiKey() {
		return apiKey;
	}

	public String projectId() {
		return projectId;
	}

	/** Options for a client of this server: its key, project and base URL, and no shutdown hook. */
	public PhosphoOptionsBuilder options() {
		return PhosphoOptions.builder().apiKey(apiKey).projectId(projectId).baseUrl(baseUrl()).shutdownHook(false);
	}

	/** Queues the replies of the next requests, in order, to any route. */
	public MockPhosphoServer enqueue(MockReply... replies) {
		script.addAll(Arrays.asList(replies));
		return this;
	}

	/** Waits this long before every reply that has no delay of its own. Default: none. */
	public MockPhosphoServer delay(Duration delay) {
		this.delay = Objects.requireNonNull(delay, "delay");
		return this;
	}

	/** Replies 413 to a log request whose (decompressed) body is larger. Default: no limit. */
	public MockPhosphoServer maxBodyBytes(long maxBodyBytes) {
		this.maxBodyBytes = maxBodyBytes;
		return this;
	}

	/**
	 * Whether requests, batches and events are recorded (default {@code true}). Off for throughput
	 * runs of millions of events, whose recordings would fill the heap: the server still
	 * authorizes, parses and validates every event and replies as usual, but keeps only
	 * {@link #eventCount()}, and the {@code *When}/{@code await*} methods no longer see new requests.
	 */
	public MockPhosphoServer recording(boolean recording) {
		this.recording = recording;
		return this;
	}

	/** Events stored since the start or the last {@link #reset()}, counted whether or not recording is on. */
	public long eventCount() {
		return eventCount.get();
	}

	/** Requests received and not yet answered (delayed ones, for instance). */
	public int inProgress() {
		return inProgress.get();
	}

	/** The most requests that were in progress at once since the start or the last {@link #reset()}. */
	public int peakInProgress() {
		return peakInProgress.get();
	}

	/** Every request received, in order of arrival. */
	public List<RecordedRequest> requests() {
		return recordings.requests();
	}

	/** The events of each batch stored (log requests answered 200, refused events left out). */
	public List<List<Map<String, @Nullable Object>>> batches() {
		return recordings.batches();
	}

	/** Every event stored, in order. */
	public List<Map<String, @Nullable Object>> events() {
		return recordings.events();
	}

	/** Every feedback stored, in order. */
	public List<RecordedFeedback> feedback() {
		return recordings.feedback();
	}

	/** Completes with the events stored once there are at least {@code n}. */
	public Mono<List<Map<String, @Nullable Object>>> eventsWhen(int n) {
		return recordings.when(r -> r.events.size() >= n ? List.copyOf(r.events) : null);
	}

	/** Completes with the requests received once there are at least {@code n}. */
	public Mono<List<RecordedRequest>> requestsWhen(int n) {
		return recordings.when(r -> r.requests.size() >= n ? List.copyOf(r.requests) : null);
	}

	/** Completes with the feedback stored once there are at least {@code n}. */
	public Mono<List<RecordedFeedback>> feedbackWhen(int n) {
		return recordings.when(r -> r.feedback.size() >= n ? List.copyOf(r.feedback) : null);
	}

	/** Blocks until at least {@code n} events are stored; {@link AssertionError} after {@code timeout}. */
	public List<Map<String, @Nullable Object>> awaitEvents(int n, Duration timeout) {
		return Recordings.await(eventsWhen(n), timeout, () -> n + " events, got " + events().size());
	}

	/** Blocks until at least {@code n} requests are received; {@link AssertionError} after {@code timeout}. */
	public List<RecordedRequest> awaitRequests(int n, Duration timeout) {
		return Recordings.await(requestsWhen(n), timeout, () -> n + " requests, got " + requests());
	}

	/** Blocks until at least {@code n} feedback are stored; {@link AssertionError} after {@code timeout}. */
	public List<RecordedFeedback> awaitFeedback(int n, Duration timeout) {
		return Recordings.await(feedbackWhen(n), timeout, () -> n + " feedback, got " + feedback().size());
	}

	/** Forgets the recordings and the queued replies; the delay and body limit stay. */
	public void reset() {
		script.clear();
		recordings.clear();
		eventCount.set(0);
		peakInProgress.set(inProgress.get());
	}

	private Mono<Void> log(HttpServerRequest req, HttpServerResponse res) {
		return handle(req, res, (reply, body) -> logReply(req, body, reply));
	}

	private Mono<Void> humanEval(HttpServerRequest req, HttpServerResponse res) {
		return handle(req, res, (reply, body) -> feedbackReply(req, body));
	}

	private interface Route {
		Outcome apply(MockReply reply, byte[] body);
	}

	/** The reply decided for one request, and the events it parsed. */
	private record Outcome(int status, byte[] json, List<Map<String, @Nullable Object>> events) {
	}

	private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res, Route route) {
		peakInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
		// Counted until its reply starts: once the client has the reply it may send the next
		// request before this exchange has finished on the server's side.
		java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
		Runnable uncount = () -> {
			if (counted.compareAndSet(true, false)) {
				inProgress.decrementAndGet();
			}
		};
		return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
				.flatMap(raw -> {
					long received = System.nanoTime();
					MockReply reply = script.poll();
					if (reply == null) {
						reply = MockReply.ok();
					}
					byte[] body = MockWire.decode(req, raw);
					Outcome out = reply.kind == MockReply.Kind.CLOSE_BEFORE_RESPONSE
							? new Outcome(-1, new byte[0], MockWire.parseEvents(body))
							: reply.status != 200
									? error(reply.status, reply.echoPadding >= 0 ? MockWire.echo(req, reply.echoPadding)
											: reply.status + " (scripted)", MockWire.parseEvents(body))
							: route.apply(reply, body);
					if (recording) {
						recordings.request(new RecordedRequest(req.method().name(), req.uri(), MockWire.headers(req),
								new String(body, StandardCharsets.UTF_8), out.events(), out.status(), received));
					}
					Duration wait = reply.delay != null ? reply.delay : delay;
					Mono<Void> send = Mono.fromRunnable(uncount).then(respond(req, res, reply, out));
					return wait.isZero() ? send : Mono.delay(wait).then(send);
				})
				.doFinally(s -> uncount.run());
	}

	private Mono<Void> respond(HttpServerRequest req, HttpServerResponse res, MockReply reply, Outcome out) {
		if (reply.kind == MockReply.Kind.CLOSE_BEFORE_RESPONSE) {
			return Mono.fromRunnable(() -> req.withConnection(c -> c.channel().close()));
		}
		res.status(out.status())
				.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(out.json().length));
		if (reply.retryAfter != null) {
			res.header(HttpHeaderNames.RETRY_AFTER, reply.retryAfter);
		}
		if (reply.kind == MockReply.Kind.CLOSE_MID_RESPONSE) {
			byte[] half = Arrays.copyOf(out.json(), out.json().length / 2);
			// Taken now: once the send completes, the request's connection is already handed back.
			Channel[] channel = new Channel[1];
			req.withConnection(c -> channel[0] = c.channel());
			return res.sendByteArray(Mono.just(half)).then()
					.then(Mono.fromRunnable(() -> channel[0].close()));
		}
		return res.sendByteArray(Mono.just(out.json())).then();
	}

	private Outcome logReply(HttpServerRequest req, byte[] body, MockReply reply) {
		Outcome denied = authorize(req, req.param("project"));
		if (denied != null) {
			return denied;
		}
		if (body.length > maxBodyBytes) {
			return error(413, "Request body of " + body.length + " bytes is larger than " + maxBodyBytes,
					MockWire.parseEvents(body));
		}
		JsonNode events;
		try {
			events = JSON.readTree(body).get("batched_log_events");
		}
		catch (RuntimeException e) {
			return error(422, "Body is not JSON: " + e.getMessage(), List.of());
		}
		if (events == null || !events.isArray()) {
			return error(422, "batched_log_events: field required (a list)", List.of());
		}
		boolean record = recording;
		ArrayNode logged = JSON.createArrayNode();
		List<Map<String, @Nullable Object>> all = new ArrayList<>();
		List<Map<String, @Nullable Object>> stored = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			JsonNode event = events.get(i);
			Map<String, @Nullable Object> map = record && event.isObject() ? MockWire.toMap(event) : Map.of();
			all.add(map);
			String reason = reply.eventErrors.get(i);
			if (reason != null && reply.echoPadding >= 0) {
				reason = MockWire.echo(req, reply.echoPadding);
			}
			if (reason == null) {
				reason = EventValidator.validate(event);
			}
			if (reason != null) {
				logged.addObject().put("error_in_log", reason);
			}
			else {
				stored.add(map);
				logged.add(event);
			}
		}
		eventCount.addAndGet(stored.size());
		if (record) {
			recordings.batch(stored);
		}
		ObjectNode reply200 = JSON.createObjectNode();
		reply200.set("logged_events", logged);
		return new Outcome(200, JSON.writeValueAsBytes(reply200), List.copyOf(all));
	}

	private Outcome feedbackReply(HttpServerRequest req, byte[] body) {
		Outcome denied = authorize(req, null);
		if (denied != null) {
			return denied;
		}
		JsonNode json;
		try {
			json = JSON.readTree(body);
		}
		catch (RuntimeException e) {
			return error(422, "Body is not JSON: " + e.getMessage(), List.of());
		}
		String reason = EventValidator.validateFeedback(json, projectId);
		if (reason != null) {
			return error(422, reason, List.of());
		}
		String taskId = Objects.requireNonNull(req.param("task"));
		recordings.feedback(new RecordedFeedback(taskId, MockWire.toMap(json)));
		ObjectNode ok = JSON.createObjectNode().put("flag", json.get("human_eval").stringValue());
		return new Outcome(200, JSON.writeValueAsBytes(ok), List.of());
	}

	/** 401 for a missing or wrong key, 404 for another project; {@code null} when allowed. */
	private @Nullable Outcome authorize(HttpServerRequest req, @Nullable String project) {
		String auth = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
		if (auth == null || !auth.equals("Bearer " + apiKey)) {
			return error(401, "Invalid API key", List.of());
		}
		if (project != null && !project.equals(projectId)) {
			return error(404, "Project not found", List.of());
		}
		return null;
	}

	private static Outcome error(int status, String detail, List<Map<String, @Nullable Object>> events) {
		ObjectNode body = JSON.createObjectNode().put("detail", detail);
		return new Outcome(status, JSON.writeValueAsBytes(body), events);
	}

	@Override
	public String toString() {
		return "MockPhosphoServer{" + baseUrl() + ", project=" + projectId + ", running=" + isRunning() + '}';
	}
}
