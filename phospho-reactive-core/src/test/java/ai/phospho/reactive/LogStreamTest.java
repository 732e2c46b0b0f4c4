package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class LogStreamTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final RecordingExporter exporter = RecordingExporter.immediate();
	private final PhosphoClient client = exporter.client();

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	@Test
	void stringChunksBecomeOneTaskWhileTheSubscriberSeesThemUntouched() {
		StepVerifier.create(Flux.just("Hel", "lo", " world").transform(client.logStream("Say hello")))
				.expectNext("Hel", "lo", " world")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.input()).isEqualTo("Say hello");
		assertThat(t.output()).isEqualTo("Hello world");
		assertThat(t.rawOutput()).isEqualTo(List.of("Hel", "lo", " world"));
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 3L)
				.containsKeys("latency_ms", "time_to_first_chunk_ms");
		assertThat(t.lastUpdate()).isNotNull().isGreaterThanOrEqualTo(t.clientCreatedAt());
		assertThat(t.truncated()).isFalse();
	}

	@Test
	void everySubscriptionOfAColdFluxLogsItsOwnTask() {
		Flux<String> logged = Flux.just("a", "b").transform(client.logStream("q"));
		StepVerifier.create(logged).expectNext("a", "b").expectComplete().verify(TIMEOUT);
		StepVerifier.create(logged).expectNext("a", "b").expectComplete().verify(TIMEOUT);

		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).hasSize(2).extracting(LoggedTask::output).containsOnly("ab");
		assertThat(tasks.get(0).taskId()).isNotEqualTo(tasks.get(1).taskId());
	}

	@Test
	void demandIsPassedThroughUnchangedAndNeverExceeded() {
		List<Long> requests = new CopyOnWriteArrayList<>();
		Flux<String> source = Flux.just("a", "b", "c", "d").doOnRequest(requests::add);

		StepVerifier.create(source.transform(client.logStream("q")), 0)
				.expectSubscription()
				.expectNoEvent(Duration.ofMillis(10))
				.thenRequest(1)
				.expectNext("a")
				.thenRequest(2)
				.expectNext("b", "c")
				.thenRequest(1)
				.expectNext("d")
				.expectComplete().verify(TIMEOUT);

		assertThat(requests).containsExactly(1L, 2L, 1L);
		assertThat(exporter.only(client).output()).isEqualTo("abcd");
	}

	@Test
	void synchronousFusionWithRangeIsKeptAndTheTaskIsLoggedWhenPollEnds() {
		StepVerifier.create(Flux.range(1, 3).map(String::valueOf).transform(client.logStream("q")))
				.expectFusion(Fuseable.SYNC)
				.expectNext("1", "2", "3")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("123");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 3L);
	}

	@Test
	void synchronousFusionWithFromIterableIsKept() {
		StepVerifier.create(Flux.fromIterable(List.of("x", "y")).transform(client.logStream("q")))
				.expectFusion(Fuseable.ANY, Fuseable.SYNC)
				.expectNext("x", "y")
				.expectComplete().verify(TIMEOUT);

		assertThat(exporter.only(client).output()).isEqualTo("xy");
	}

	@Test
	void aSynchronouslyFusedConsumerThatCompletesOnIsEmptyStillLogsTheTask() {
		java.util.concurrent.atomic.AtomicReference<Fuseable.QueueSubscription<String>> fused =
				new java.util.concurrent.atomic.AtomicReference<>();
		Flux.range(1, 2).map(String::valueOf).transform(client.logStream("q"))
				.subscribe(new reactor.core.CoreSubscriber<String>() {
					@Override
					@SuppressWarnings("unchecked")
					public void onSubscribe(org.reactivestreams.Subscription s) {
						Fuseable.QueueSubscription<String> qs = (Fuseable.QueueSubscription<String>) s;
						assertThat(qs.requestFusion(Fuseable.SYNC)).isEqualTo(Fuseable.SYNC);
						fused.set(qs);
					}

					@Override
					public void onNext(String s) {
					}

					@Override
					public void onError(Throwable t) {
					}

					@Override
					public void onComplete() {
					}
				});
		Fuseable.QueueSubscription<String> qs = fused.get();
		assertThat(qs.poll()).isEqualTo("1");
		assertThat(qs.poll()).isEqualTo("2");
		assertThat(qs.isEmpty()).isTrue();

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("12");
		assertThat(t.metadata()).containsEntry("stream_status", "completed");
	}

	@Test
	void asynchronousAndThreadBarrierFusionAreRefused() {
		StepVerifier.create(Flux.range(1, 2).map(String::valueOf).transform(client.logStream("q")))
				.expectFusion(Fuseable.ASYNC, Fuseable.NONE)
				.expectNext("1", "2")
				.expectComplete().verify(TIMEOUT);
		StepVerifier.create(Flux.range(1, 2).map(String::valueOf).transform(client.logStream("q")))
				.expectFusion(Fuseable.ANY | Fuseable.THREAD_BARRIER, Fuseable.NONE)
				.expectNext("1", "2")
				.expectComplete().verify(TIMEOUT);

		assertThat(exporter.flushed(client)).hasSize(2).extracting(LoggedTask::output).containsOnly("12");
	}

	@Test
	void fusedStreamsThroughPublishOnStillLogEveryChunk() {
		StepVerifier.create(Flux.range(1, 100).map(String::valueOf).transform(client.logStream("q"))
						.publishOn(reactor.core.scheduler.Schedulers.parallel(), 8))
				.expectNextCount(100)
				.expectComplete()
				.verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.metadata()).containsEntry("chunk_count", 100L);
		assertThat(t.output()).startsWith("12345678910").endsWith("9899100");
	}

	@Test
	void conditionalSubscribersKeepWorkingAndEveryChunkIsLogged() {
		StepVerifier.create(Flux.range(1, 6).map(String::valueOf).transform(client.logStream("q"))
						.filter(s -> Integer.parseInt(s) % 2 == 0))
				.expectNext("2", "4", "6")
				.expectComplete().verify(TIMEOUT);

		assertThat(exporter.only(client).output()).isEqualTo("123456");
	}

	@Test
	void takeCancelsUpstreamAndLogsACancelledTaskWithThePartialText() {
		StepVerifier.create(Flux.just("a", "b", "c", "d").transform(client.logStream("q")).take(2))
				.expectNext("a", "b")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("ab");
		assertThat(t.metadata()).containsEntry("stream_status", "cancelled").containsEntry("chunk_count", 2L);
	}

	@Test
	void aCancelBeforeAnyChunkLogsACancelledTaskWithoutOutput() {
		StepVerifier.create(Flux.<String>never().transform(client.logStream("q")))
				.expectSubscription()
				.thenCancel()
				.verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isNull();
		assertThat(t.metadata()).containsEntry("stream_status", "cancelled").containsEntry("chunk_count", 0L)
				.doesNotContainKey("time_to_first_chunk_ms");
		assertThat(t.lastUpdate()).isNull();
	}

	@Test
	void anErrorReachesTheSubscriberUnchangedAndIsLoggedWithThePartialText() {
		IllegalStateException boom = new IllegalStateException("boom");
		StepVerifier.create(Flux.concat(Flux.just("par", "tial"), Flux.<String>error(boom))
						.transform(client.logStream("q")))
				.expectNext("par", "tial")
				.expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
				.verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("partial");
		assertThat(t.metadata()).containsEntry("stream_status", "error")
				.containsEntry("error", "java.lang.IllegalStateException: boom");
	}

	@Test
	void theStopChunkEndsTheTaskAndLaterChunksPassUnlogged() {
		StepVerifier.create(Flux.just("a", "b", "END", "late").transform(client.logStream("q", "END"::equals)))
				.expectNext("a", "b", "END", "late")
				.expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("abEND");
		assertThat(t.rawOutput()).isEqualTo(List.of("a", "b", "END"));
		assertThat(t.metadata()).containsEntry("stream_status", "stopped").containsEntry("chunk_count", 3L);
	}

	@Test
	void theOutputIsCappedAtMaxFieldCharsAndFlaggedTruncated() {
		PhosphoClient small = exporter.client(10);
		try {
			StepVerifier.create(Flux.just("abcdef", "ghijkl", "mnop").transform(small.logStream("q")))
					.expectNext("abcdef", "ghijkl", "mnop")
					.expectComplete().verify(TIMEOUT);
			LoggedTask t = exporter.only(small);
			assertThat(t.output()).isEqualTo("abcdefghij");
			assertThat(t.truncated()).isTrue();
			assertThat(t.rawOutput()).isEqualTo(List.of("abcdef"));
			assertThat(t.metadata()).containsEntry("chunk_count", 3L);
		}
		finally {
			small.shutdown().block(TIMEOUT);
		}
	}

	@Test
	void theOperatorAndItsSubscriberAreScannable() {
		Flux<String> source = Flux.just("a");
		Flux<String> logged = source.transform(client.logStream("q"));
		Scannable op = Scannable.from(logged);
		assertThat(op.scan(Scannable.Attr.PARENT)).isSameAs(source);
		assertThat(op.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
		assertThat(op.scan(Scannable.Attr.PREFETCH)).isEqualTo(source.getPrefetch());

		java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscription> upstream =
				new java.util.concurrent.atomic.AtomicReference<>();
		BaseSubscriber<String> sub = new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
				upstream.set(subscription); // no request: the stream stays open
			}
		};
		Flux.<String>never().transform(client.logStream("q")).subscribe(sub);
		Scannable inner = Scannable.from(upstream.get());
		assertThat(inner.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(sub);
		assertThat(inner.scan(Scannable.Attr.PARENT)).isNotNull();
		assertThat(inner.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
		assertThat(inner.scan(Scannable.Attr.CANCELLED)).isFalse();
		assertThat(inner.scan(Scannable.Attr.TERMINATED)).isFalse();
		sub.cancel();
		assertThat(inner.scan(Scannable.Attr.CANCELLED)).isTrue();
	}

	@Test
	void aStreamLogBuilderSetsIdsMetadataExtrasAndAPerChunkExtractor() {
		StreamLog<Integer> log = StreamLog.<Integer>of("count")
				.sessionId("s-1").taskId("t-1").userId("u-1").versionId("v-1").flag(Flag.SUCCESS)
				.metadata(Map.of("k", "v")).put("extra", 42)
				.outputToString(i -> "<" + i + ">")
				.stop(i -> i == 2);
		Flux<Integer> logged = Flux.range(1, 3).transform(client.logStream(log));
		log.sessionId("changed-after");

		StepVerifier.create(logged).expectNext(1, 2, 3).expectComplete().verify(TIMEOUT);

		LoggedTask t = exporter.only(client);
		assertThat(t.output()).isEqualTo("<1><2>");
		assertThat(t.sessionId()).isEqualTo("s-1");
		assertThat(t.taskId()).isEqualTo("t-1");
		assertThat(t.userId()).isEqualTo("u-1");
		assertThat(t.versionId()).isEqualTo("v-1");
		assertThat(t.flag()).isEqualTo(Flag.SUCCESS);
		assertThat(t.metadata()).containsEntry("k", "v").containsEntry("stream_status", "stopped");
		assertThat(t.extras()).containsEntry("extra", 42L);
	}
}
