package ai.phospho.reactive.test.openai;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ai.phospho.reactive.test.LoopbackServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * A Reactor Netty server on 127.0.0.1 and an ephemeral port that answers every request with the
 * next queued {@link Replay}, byte for byte, and records the requests. It notices when a client
 * closes the connection before the body was sent whole.
 *
 * <pre>{@code
 * try (MockOpenAiServer server = MockOpenAiServer.start()) {
 *     server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(20)));
 *     OpenAiClient client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").build();
 *     client.chatStream(request).take(3).blockLast();
 *     assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
 * }
 * }</pre>
 *
 * <p>With nothing queued it replies 500 with an OpenAI error object saying so.
 */
public final class MockOpenAiServer extends LoopbackServer {

	private final Queue<Replay> replies = new ConcurrentLinkedQueue<>();
	private final List<RecordedRequest> requests = new ArrayList<>();
	private final AtomicInteger aborts = new AtomicInteger();
	private final AtomicLong bytesWritten = new AtomicLong();
	private final Semaphore abortPermits = new Semaphore(0);

	private MockOpenAiServer() {
		listen();
	}

	@Override
	protected void routes(HttpServerRoutes routes) {
		routes.route(req -> true, this::handle);
	}

	/** Starts a server; {@link #close()} stops it. */
	public static MockOpenAiServer start() {
		return new MockOpenAiServer();
	}

	/** {@code http://127.0.0.1:PORT/v1}: the base URL of an OpenAI-compatible API. */
	public String baseUrl() {
		return rootUrl() + "/v1";
	}

	/** {@code http://127.0.0.1:PORT}: the base URL of Ollama's native API. */
	@Override
	public String rootUrl() {
		return super.rootUrl();
	}

	/** Queues the reply to the next request; replies are used in order, once each. */
	public MockOpenAiServer enqueue(Replay replay) {
		replies.add(replay);
		return this;
	}

	/** Queues a recording, sent at once. */
	public MockOpenAiServer enqueue(Recording recording) {
		return enqueue(recording.replay());
	}

	/** The requests received so far, in order. */
	public List<RecordedRequest> requests() {
		synchronized (requests) {
			return List.copyOf(requests);
		}
	}

	/**
	 * How many body bytes were handed to the network so far. Netty asks for the next piece only
	 * while the connection is writable, so this stalls when a client stops reading.
	 */
	public long bytesWritten() {
		return bytesWritten.get();
	}

	/** How many responses a client cut short by closing the connection. */
	public int clientAborts() {
		return aborts.get();
	}

	/**
	 * Waits until a client has closed a connection before its response was sent whole (counting
	 * each such close once).
	 *
	 * @return whether it happened within {@code timeout}
	 */
	public boolean awaitClientAbort(Duration timeout) throws InterruptedException {
		return abortPermits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
		return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
			Map<String, String> headers = new LinkedHashMap<>();
			req.requestHeaders().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
			synchronized (requests) {
				requests.add(new RecordedRequest(req.method().name(), req.uri(), Map.copyOf(headers), body));
			}
			Replay replay = replies.poll();
			if (replay == null) {
				replay = Replay.of(500, "application/json", "{\"error\":{\"message\":\"MockOpenAiServer: no reply "
						+ "queued for " + req.method().name() + " " + req.uri() + "\",\"type\":\"server_error\"}}");
			}
			res.status(replay.status);
			replay.headers.forEach(res::header);
			AtomicBoolean sentWhole = new AtomicBoolean();
			res.withConnection(c -> c.onDispose(() -> {
				if (!sentWhole.get()) {
					aborts.incrementAndGet();
					abortPermits.release();
				}
			}));
			Flux<byte[]> pieces = Flux.fromIterable(replay.pieces());
			if (!replay.delay.isZero()) {
				pieces = pieces.delayElements(replay.delay);
			}
			Flux<ByteBuf> data = pieces.doOnNext(p -> bytesWritten.addAndGet(p.length)).map(Unpooled::wrappedBuffer);
			if (replay.cutAfter >= 0) {
				// The bytes go out, then the connection is closed without ending the response.
				return res.send(data, b -> true).then().then(Mono.<Void>create(sink -> {
					res.withConnection(c -> c.channel().close().addListener(f -> sink.success()));
				}));
			}
			return res.send(data, b -> true).then().doOnSuccess(v -> sentWhole.set(true));
		});
	}

	@Override
	public String toString() {
		return "MockOpenAiServer{" + rootUrl() + ", queued=" + replies.size() + '}';
	}

	/** A request as received: method, URI, headers (names in lower case) and body. */
	public record RecordedRequest(String method, String uri, Map<String, String> headers, String body) {

		/** Without the headers' values, which hold the API key. */
		@Override
		public String toString() {
			return "RecordedRequest{" + method + ' ' + uri + ", headers=" + headers.keySet() + ", body=" + body + '}';
		}
	}
}
