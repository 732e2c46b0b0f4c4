package ai.phospho.reactive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole public API after {@code init} (logging, streams, wrapping, flush, shutdown, the JSON Lines
 * exporter), run on {@code Schedulers.parallel()} threads with BlockHound installed, makes no blocking
 * call: not in the caller's code, nor on the export worker. In a JVM of its own (the
 * agent stays installed), started with {@code -XX:+AllowRedefinitionToAddDeleteMethods}.
 */
@Tag("isolated-jvm")
class BlockHoundIsolatedTest {

	private static final List<String> BLOCKING = new CopyOnWriteArrayList<>();

	/**
	 * A blocking call, for a failure's message: the method, the thread, and the first {@code frames}
	 * frames of the stack below BlockHound's own.
	 */
	static String blocked(BlockingMethod m, int frames) {
		StringBuilder where = new StringBuilder();
		StackTraceElement[] stack = new Throwable().getStackTrace();
		for (int i = 0, shown = 0; i < stack.length && shown < frames; i++) {
			if (!stack[i].getClassName().startsWith("reactor.blockhound")) {
				where.append("\n    at ").append(stack[i]);
				shown++;
			}
		}
		return m + " on " + Thread.currentThread().getName() + where;
	}

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install(b -> b.blockingMethodCallback(m -> {
			BLOCKING.add(blocked(m, 12));
			throw new BlockingOperationError(m);
		}));
		// BlockHound is live: a sleep on a parallel thread is caught.
		StepVerifier.create(Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "";
		}).subscribeOn(Schedulers.parallel())).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
		assertThat(BLOCKING).hasSize(1);
		BLOCKING.clear();
	}

	/** {@code work}, then a flush and a shutdown, each on a parallel thread; asserts nothing blocked. */
	private static void flushAndShutDownOnParallelThreads(Mono<?> work, java.util.function.Supplier<Mono<Void>> flush,
			java.util.function.Supplier<Mono<Void>> shutdown) {
		work.publishOn(Schedulers.parallel())
				.then(Mono.defer(flush))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(shutdown))
				.subscribeOn(Schedulers.parallel())
				.block(Duration.ofSeconds(20));
		assertThat(BLOCKING).isEmpty();
	}

	@Test
	void thePublicApiNeverBlocksAParallelThread(@TempDir Path dir) throws Exception {
		everythingOnParallelThreads(dir, PhosphoOptions.builder());
	}

	@Test
	void withASpoolThePublicApiStillNeverBlocksAParallelThread(@TempDir Path dir) throws Exception {
		// The spool's appends, fsyncs and reads run on its own thread, not a non-blocking one.
		everythingOnParallelThreads(dir, PhosphoOptions.builder().spool(dir.resolve("spool")));
		assertThat(Files.list(dir.resolve("spool")).filter(p -> p.getFileName().toString().startsWith("segment-")))
				.isNotEmpty();
	}

	private static void everythingOnParallelThreads(Path dir, PhosphoOptionsBuilder options) throws Exception {
		Path file = dir.resolve("out/tasks.jsonl");
		// Set-up, as at an application's start: on the test thread.
		Phospho.init(options
				.jsonLinesPath(file).shutdownHook(false).lingerDelay(Duration.ofMillis(10)).build());
		Mono<Void> everything = Mono.fromCallable(() -> Phospho.log("log in", "log out"))
				.publishOn(Schedulers.parallel())
				.thenMany(Flux.defer(() -> Flux.just("a", "b", "c").transform(Phospho.logStream("stream in"))))
				.publishOn(Schedulers.parallel())
				.thenMany(Flux.defer(() -> Flux.range(1, 50).map(String::valueOf)
						.transform(Phospho.logStream("fused in")).take(10)))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(() -> Phospho.logMono("mono in", Mono.just("mono out"))))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(() -> Phospho.tap(Flux.just("x", "y"), "y"::equals).then())
						.contextWrite(PhosphoContext.session("s-1").user("u-1").input("tap in")))
				.publishOn(Schedulers.parallel())
				.then(Mono.fromCallable(() -> Phospho.wrap((String s) -> s + "!", Map.of("k", "v")).apply("wrap in")))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(() -> Phospho.wrapMono((String s) -> Mono.just(s.length())).apply("wrapMono in")))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(() -> Phospho.wrapFlux((String s) -> Flux.just(s, s), "never"::equals)
						.apply("wrapFlux in").then()))
				.then();

		flushAndShutDownOnParallelThreads(everything, Phospho::flush, Phospho::shutdown);
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).hasSize(8);
		assertThat(String.join("\n", lines)).contains("\"input\":\"tap in\"", "\"session_id\":\"s-1\"",
				"\"output\":\"abc\"", "\"output\":\"wrap in!\"", "\"stream_status\":\"cancelled\"");
	}

	/**
	 * The HTTP exporter is subscribed to where an export starts, without a thread hop: on the worker,
	 * and, for the batch cut ahead, on the Reactor Netty event loop that received the reply before it.
	 * Neither blocks. A loopback server answers each batch after 20 ms, with one export slot, so that
	 * batches wait and are started from event loops.
	 */
	@Test
	void theHttpExporterNeverBlocksTheWorkerNorAnEventLoop() {
		java.util.concurrent.atomic.AtomicInteger events = new java.util.concurrent.atomic.AtomicInteger();
		reactor.netty.DisposableServer server = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
				.route(r -> r.post("/v2/log/{project}", (req, res) -> req.receive().aggregate().asString()
						.delayElement(Duration.ofMillis(20))
						.flatMap(body -> {
							int n = body.split("\"task_id\"", -1).length - 1;
							events.addAndGet(n);
							return res.header("content-type", "application/json")
									.sendString(Mono.just("{\"logged_events\":[" + "{},".repeat(n - 1) + "{}]}")).then();
						})))
				.bindNow();
		try {
			PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().apiKey("phk-blockhound")
					.projectId("p").baseUrl("http://127.0.0.1:" + server.port()).shutdownHook(false)
					.maxBatchSize(5).maxConcurrentExports(1).lingerDelay(Duration.ofMillis(10)).build());
			flushAndShutDownOnParallelThreads(Mono.fromRunnable(() -> {
				for (int i = 0; i < 60; i++) {
					client.log("q" + i, "a");
				}
			}), client::flush, client::shutdown);
			assertThat(client.stats().exported()).isEqualTo(60);
			assertThat(events).hasValue(60);
			assertThat(client.stats().batches()).isEqualTo(12);
		}
		finally {
			server.disposeNow();
		}
	}

	@Test
	void warningsOnNonBlockingThreadsAreWrittenElsewhere() throws Exception {
		// Each of these has something to say on the thread it runs on: a full queue on the caller's,
		// a failing extractor and a chunk that cannot be read on the stream's, a refused export on
		// the worker's. Written inline, the console write would be caught here.
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(batch -> Mono.error(new IllegalStateException("refused")))
				.maxQueueSize(1).shutdownHook(false).lingerDelay(Duration.ofMillis(10)).build());
		Map<Integer, Object> unreadable = new java.util.TreeMap<>(Map.of(1, "one"));
		Mono<Void> everything = Mono.fromRunnable(() -> {
			for (int i = 0; i < 5; i++) {
				client.log("q" + i, "a");
			}
		})
				.publishOn(Schedulers.parallel())
				.then(Mono.fromCallable(() -> client.log(TaskLog.of("q").inputToString(q -> {
					throw new IllegalStateException("extractor");
				}))))
				.publishOn(Schedulers.parallel())
				.thenMany(Flux.<Object>just(unreadable, "b").transform(client.logStream("stream")))
				.then(Mono.defer(client::flush))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(client::shutdown))
				.subscribeOn(Schedulers.parallel());

		everything.block(Duration.ofSeconds(20));

		assertThat(BLOCKING).isEmpty();
		assertThat(client.stats().dropped()).isPositive();
		assertThat(client.stats().failed()).isPositive();
		assertThat(client.stats().captureErrors()).isEqualTo(1);
	}

	@Test
	void theProductionControlsNeverBlockAParallelThreadNorTheWorker() {
		// The redactor and a throwing one run on the export worker (a non-blocking thread); sampling,
		// the content mode and the thread's context on the caller's; automatic propagation restores
		// the context around each operator.
		RecordingExporter exporter = RecordingExporter.immediate();
		TaskRedactor throwing = t -> {
			if (t.flag() != null) {
				throw new IllegalStateException("redactor");
			}
			return t;
		};
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().exporter(exporter).shutdownHook(false)
				.lingerDelay(Duration.ofMillis(10)).sampleRate(0.5).sampleKeepFlagged(true)
				.contentMode(PhosphoOptions.ContentMode.METADATA_ONLY)
				.redactor(TaskMasker.builder().emails().cardNumbers().apiKeys().keys("password").build().andThen(throwing))
				.build());
		Hooks.enableAutomaticContextPropagation();
		try {
			Mono<Void> everything = Mono.fromRunnable(() -> {
				for (int i = 0; i < 50; i++) {
					client.log(TaskLog.of("mail a@b.io " + i).output("4111 1111 1111 1111").sessionId("s-" + i));
				}
				client.log(TaskLog.of("boom").output("o").flag(Flag.SUCCESS));
			})
					.publishOn(Schedulers.parallel())
					.then(Mono.fromCallable(() -> client.log("in map", "o")))
					.publishOn(Schedulers.parallel())
					.thenMany(Flux.just("a", "b").transform(client.logStream("stream")))
					.then(Mono.fromRunnable(() -> {
						try (PhosphoContext.Scope scope = PhosphoContext.session("s-scope").makeCurrent()) {
							client.log("scoped", "o");
						}
					}))
					.contextWrite(PhosphoContext.session("s-ctx").user("u"))
					.publishOn(Schedulers.parallel())
					.then(Mono.defer(client::flush))
					.then(Mono.defer(client::shutdown))
					.subscribeOn(Schedulers.parallel());
			everything.block(Duration.ofSeconds(20));
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}

		assertThat(BLOCKING).isEmpty();
		assertThat(client.stats().redactionFailures()).isEqualTo(1);
		assertThat(client.stats().sampledOut()).isPositive();
		assertThat(exporter.tasks()).isNotEmpty().allSatisfy(t -> assertThat(t.input()).isEmpty());
	}
}
