package ai.phospho.reactive;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 completed streams through one operator leave nothing behind: neither the chunks (weak
 * references are cleared) nor the text (the heap grows by far less than the text gathered), even
 * though every downstream subscriber still holds its subscription.
 */
class StreamMemoryTest {

	private static final int STREAMS = 100_000;
	private static final int CHUNKS = 3;
	private static final int CHUNK_CHARS = 100;

	@Test
	void completedStreamsRetainNeitherTheirChunksNorTheirText() {
		RecordingExporter exporter = RecordingExporter.counting();
		PhosphoClient client = exporter.client();
		List<WeakReference<String>> sampled = new ArrayList<>();
		Flux<String> logged = Flux.from(new ForgetfulSource(sampled)).transform(client.logStream("q"));

		long before = usedHeapAfterGc();
		Holder[] holders = new Holder[STREAMS];
		for (int i = 0; i < STREAMS; i++) {
			holders[i] = new Holder();
			logged.subscribe(holders[i]);
		}
		client.flush().block(Duration.ofSeconds(30));
		assertThat(exporter.count()).isEqualTo(STREAMS);
		assertThat(holders).allSatisfy(h -> assertThat(h.completed).isTrue());

		for (int i = 0; i < 10 && sampled.stream().anyMatch(r -> r.get() != null); i++) {
			System.gc();
		}
		long retainedPerStream = (usedHeapAfterGc() - before) / STREAMS;

		assertThat(sampled).hasSize(STREAMS / 10 * CHUNKS).allSatisfy(r -> assertThat(r.get()).isNull());
		// Retaining the gathered state costs over 1,000 bytes per stream; the two subscribers about 120.
		assertThat(retainedPerStream).isLessThan(400);
		assertThat(holders[STREAMS - 1].upstream).isNotNull();
		client.shutdown().block(Duration.ofSeconds(5));
	}

	private static long usedHeapAfterGc() {
		Runtime rt = Runtime.getRuntime();
		System.gc();
		System.gc();
		return rt.totalMemory() - rt.freeMemory();
	}

	/** Emits fresh chunk strings and keeps no reference to them; every tenth stream's chunks are watched. */
	private static final class ForgetfulSource implements org.reactivestreams.Publisher<String> {
		private final List<WeakReference<String>> sampled;
		private int subscriptions;

		ForgetfulSource(List<WeakReference<String>> sampled) {
			this.sampled = sampled;
		}

		@Override
		public void subscribe(org.reactivestreams.Subscriber<? super String> s) {
			boolean watch = subscriptions++ % 10 == 0;
			s.onSubscribe(new Subscription() {
				boolean done;

				@Override
				public void request(long n) {
					if (done) {
						return;
					}
					done = true;
					for (int c = 0; c < CHUNKS; c++) {
						String chunk = "x".repeat(CHUNK_CHARS - 1) + c;
						if (watch) {
							sampled.add(new WeakReference<>(chunk));
						}
						s.onNext(chunk);
					}
					s.onComplete();
				}

				@Override
				public void cancel() {
					done = true;
				}
			});
		}
	}

	/** Keeps its subscription forever, as a careless downstream might. */
	private static final class Holder implements CoreSubscriber<String> {
		Subscription upstream;
		boolean completed;

		@Override
		public void onSubscribe(Subscription s) {
			upstream = s;
			s.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String s) {
		}

		@Override
		public void onError(Throwable t) {
		}

		@Override
		public void onComplete() {
			completed = true;
		}
	}
}
