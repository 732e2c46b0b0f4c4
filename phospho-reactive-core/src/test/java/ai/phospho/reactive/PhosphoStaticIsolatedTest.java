package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The static facade before and after {@code init}; in a JVM of its own, since {@code init} is global. */
@Tag("isolated-jvm")
class PhosphoStaticIsolatedTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** Each test starts as before any init: the static client is global. */
	@org.junit.jupiter.api.AfterEach
	void forgetTheClient() {
		PhosphoClient c = Phospho.reset();
		if (c != null) {
			c.shutdown().block(TIMEOUT);
		}
	}

	@Test
	void capturingBeforeInitThrowsAtTheCallAndFunctionsMadeEarlierWorkAfterInit() {
		Function<Flux<String>, Flux<String>> logStream = Phospho.logStream("q");
		Function<Mono<String>, Mono<String>> logMono = Phospho.logMono("q");
		Supplier<String> wrapped = Phospho.wrap(() -> "w");

		assertThatThrownBy(() -> Flux.just("a").transform(logStream))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("Phospho.init()");
		assertThatThrownBy(() -> Mono.just("a").transform(logMono)).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> Phospho.tap(Flux.just("a"), "a"::equals)).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> Phospho.logMono("q", Mono.just("a"))).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(wrapped::get).isInstanceOf(IllegalStateException.class);

		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = Phospho.init(PhosphoOptions.builder().exporter(exporter).shutdownHook(false).build());
		try {
			StepVerifier.create(Flux.just("a", "b").transform(logStream)).expectNext("a", "b").expectComplete().verify(TIMEOUT);
			StepVerifier.create(Mono.just("m").transform(logMono)).expectNext("m").expectComplete().verify(TIMEOUT);
			StepVerifier.create(Phospho.tap(Flux.just("t"))).expectNext("t").expectComplete().verify(TIMEOUT);
			assertThat(wrapped.get()).isEqualTo("w");

			List<LoggedTask> tasks = exporter.flushed(client);
			assertThat(tasks).extracting(LoggedTask::output).containsExactly("ab", "m", "t", "w");
		}
		finally {
			Phospho.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void reInitialisingWhileThreadsLogLosesNoTask() throws Exception {
		List<RecordingExporter> exporters = new java.util.ArrayList<>();
		List<PhosphoClient> clients = new java.util.ArrayList<>();
		java.util.function.Supplier<PhosphoClient> init = () -> {
			RecordingExporter e = RecordingExporter.counting();
			exporters.add(e);
			PhosphoClient c = Phospho.init(PhosphoOptions.builder().exporter(e).shutdownHook(false)
					.maxQueueSize(200_000).build());
			clients.add(c);
			return c;
		};
		init.get();
		java.util.concurrent.atomic.AtomicLong logged = new java.util.concurrent.atomic.AtomicLong();
		java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
		List<Thread> threads = new java.util.ArrayList<>();
		for (int t = 0; t < 2; t++) {
			Thread th = new Thread(() -> {
				while (!stop.get()) {
					Phospho.log("q", "a");
					logged.incrementAndGet();
				}
			});
			th.start();
			threads.add(th);
		}
		for (int i = 0; i < 20; i++) {
			Thread.sleep(5);
			init.get();
		}
		stop.set(true);
		for (Thread th : threads) {
			th.join(TIMEOUT.toMillis());
		}
		for (PhosphoClient c : clients) {
			c.shutdown().block(TIMEOUT);
		}

		long exported = exporters.stream().mapToLong(RecordingExporter::count).sum();
		long dropped = clients.stream().mapToLong(c -> c.stats().dropped()).sum();
		assertThat(dropped).isZero();
		assertThat(exported).isEqualTo(logged.get());
	}

	@Test
	void reInitialisingWithTheSameSpoolDirectoryHandsItOverAndLosesNoTask(@org.junit.jupiter.api.io.TempDir
			java.nio.file.Path dir) {
		RecordingExporter exporter = RecordingExporter.counting();
		PhosphoOptions options = PhosphoOptions.builder().exporter(exporter).shutdownHook(false)
				.spool(dir.resolve("spool")).build();
		Phospho.init(options);
		for (int i = 0; i < 10; i++) {
			Phospho.log("before " + i, "a");
		}

		PhosphoClient second = Phospho.init(options);
		for (int i = 0; i < 10; i++) {
			Phospho.log("after " + i, "a");
		}
		Phospho.shutdown().block(TIMEOUT);

		assertThat(Phospho.client()).isSameAs(second);
		assertThat(exporter.count()).isEqualTo(20);
	}
}
