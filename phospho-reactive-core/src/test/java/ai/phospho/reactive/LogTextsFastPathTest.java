package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.export.TaskListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.util.context.ContextView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code log(input, output)} of two texts, which a client builds without a {@code TaskBuilder} when
 * it can: through a real client, each case it must not take (Context values, listeners,
 * {@code METADATA_ONLY}, texts past the cap, values that are not strings, sampling) gives what the
 * builder gives; a task it made copies whole with {@code toBuilder()}; its ids, made when first
 * read, are the same for threads that race to read them.
 */
class LogTextsFastPathTest {

	private static PhosphoClient client(RecordingExporter exporter, PhosphoOptionsBuilder b) {
		return PhosphoClient.create(b.exporter(exporter).shutdownHook(false).build());
	}

	private static LoggedTask exported(PhosphoClient client, RecordingExporter exporter) {
		client.shutdown().block(Duration.ofSeconds(10));
		assertThat(exporter.tasks()).hasSize(1);
		return exporter.tasks().get(0);
	}

	@Test
	void theContextsValuesAreKept() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, PhosphoOptions.builder());
		LoggedTask t;
		try (PhosphoContext.Scope s = PhosphoContext.session("s-1").task("t-1").user("u-1").version("v-9")
				.test("test-1").metadata("k", "v").makeCurrent()) {
			t = client.log("in", "out");
		}
		LoggedTask e = exported(client, exporter);
		for (LoggedTask x : new LoggedTask[] {t, e}) {
			assertThat(x.sessionId()).isEqualTo("s-1");
			assertThat(x.taskId()).isEqualTo("t-1");
			assertThat(x.userId()).isEqualTo("u-1");
			assertThat(x.versionId()).isEqualTo("v-9");
			assertThat(x.testId()).isEqualTo("test-1");
			assertThat(x.metadata()).containsEntry("k", "v");
			assertThat(x.toMap()).containsEntry("input", "in").containsEntry("raw_input", "in");
		}
	}

	@Test
	void aListenersMetadataAndCallsAreKept() {
		AtomicInteger ended = new AtomicInteger();
		TaskListener listener = new TaskListener() {
			@Override
			public @Nullable Object onStart(ContextView context) {
				return "state";
			}

			@Override
			public Map<String, Object> metadata(@Nullable Object state) {
				return Map.of("trace_id", "tr-1");
			}

			@Override
			public void onEnd(LoggedTask task, @Nullable Object state) {
				ended.incrementAndGet();
			}
		};
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, PhosphoOptions.builder().addTaskListener(listener));
		LoggedTask t = client.log("in", "out");
		assertThat(t.metadata()).containsEntry("trace_id", "tr-1");
		assertThat(ended.get()).isEqualTo(1);
		assertThat(exported(client, exporter).metadata()).containsEntry("trace_id", "tr-1");
	}

	@Test
	void metadataOnlyLeavesTheContentOut() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter,
				PhosphoOptions.builder().contentMode(PhosphoOptions.ContentMode.METADATA_ONLY));
		client.log("four", "three");
		LoggedTask e = exported(client, exporter);
		assertThat(e.input()).isEmpty();
		assertThat(e.output()).isNull();
		assertThat(e.rawInput()).isNull();
		assertThat(e.metadata()).containsEntry("input_chars", 4L).containsEntry("output_chars", 5L);
	}

	@Test
	void textsPastTheCapAreCutAndFlagged() {
		for (String[] io : new String[][] {{"123456789", "out"}, {"in", "123456789"}, {"12345678", "12345678"}}) {
			RecordingExporter exporter = RecordingExporter.immediate();
			PhosphoClient client = client(exporter, PhosphoOptions.builder().maxFieldChars(8));
			LoggedTask t = client.log(io[0], io[1]);
			LoggedTask e = exported(client, exporter);
			boolean past = io[0].length() > 8 || io[1].length() > 8;
			for (LoggedTask x : new LoggedTask[] {t, e}) {
				assertThat(x.truncated()).as("%s %s", io[0], io[1]).isEqualTo(past);
				assertThat(x.input()).hasSizeLessThanOrEqualTo(8);
				assertThat(x.output()).hasSizeLessThanOrEqualTo(8);
				assertThat((String) x.rawInput()).hasSizeLessThanOrEqualTo(8);
				assertThat((String) x.rawOutput()).hasSizeLessThanOrEqualTo(8);
			}
		}
	}

	@Test
	void valuesThatAreNotStringsAreExtracted() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, PhosphoOptions.builder());
		LoggedTask a = client.log(new StringBuilder("sb"), "out");
		LoggedTask b = client.log("in", TestSupport.chatCompletion("hello"));
		LoggedTask c = client.log("in", 42);
		client.shutdown().block(Duration.ofSeconds(10));
		assertThat(a.input()).isEqualTo("sb");
		assertThat(a.rawInputTypeName()).isEqualTo("StringBuilder");
		assertThat(b.output()).isEqualTo("hello");
		assertThat(b.rawOutput()).isInstanceOf(Map.class);
		assertThat(c.output()).isEqualTo("42");
		assertThat(c.rawOutputTypeName()).isEqualTo("Integer");
		assertThat(exporter.tasks()).hasSize(3);
	}

	@Test
	void aSessionSampledOutIsNotExported() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, PhosphoOptions.builder().sampleRate(0.0));
		for (int i = 0; i < 20; i++) {
			client.log("in", "out");
		}
		client.shutdown().block(Duration.ofSeconds(10));
		assertThat(exporter.tasks()).isEmpty();
		assertThat(client.stats().sampledOut()).isEqualTo(20);
	}

	@Test
	void aTaskMadeWithoutABuilderCopiesWholeWithToBuilder() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, PhosphoOptions.builder().projectId("p").testId("t"));
		LoggedTask t = client.log("in", "out");
		LoggedTask copy = t.toBuilder().build();
		assertThat(copy.toMap()).isEqualTo(t.toMap());
		assertThat(copy.estimatedSize()).isEqualTo(t.estimatedSize());
		LoggedTask changed = t.toBuilder().input("other").build();
		assertThat(changed.taskId()).isEqualTo(t.taskId());
		assertThat(changed.sessionId()).isEqualTo(t.sessionId());
		assertThat(changed.input()).isEqualTo("other");
		assertThat(changed.rawInput()).isEqualTo("in");
		client.shutdown().block(Duration.ofSeconds(10));
	}

	/** The ids of a task the client made are written when first read: racing readers read one text. */
	@Test
	void threadsRacingToReadTheIdsOfATaskReadTheSameIds() throws InterruptedException {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, PhosphoOptions.builder().maxQueueSize(1));
		int n = 20_000;
		List<LoggedTask> tasks = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			tasks.add(client.log("in", "out"));
		}
		int readers = 4;
		String[][] taskIds = new String[readers][n];
		String[][] sessionIds = new String[readers][n];
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int r = 0; r < readers; r++) {
			int me = r;
			threads.add(new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException e) {
					return;
				}
				for (int i = 0; i < n; i++) {
					taskIds[me][i] = tasks.get(i).taskId();
					sessionIds[me][i] = tasks.get(i).sessionId();
				}
			}));
		}
		threads.forEach(Thread::start);
		start.countDown();
		for (Thread t : threads) {
			t.join(30_000);
		}
		for (int i = 0; i < n; i++) {
			for (int r = 1; r < readers; r++) {
				assertThat(taskIds[r][i]).isEqualTo(taskIds[0][i]);
				assertThat(sessionIds[r][i]).isEqualTo(sessionIds[0][i]);
			}
			assertThat(taskIds[0][i]).matches("task_[0-9a-f]{32}");
			assertThat(sessionIds[0][i]).matches("session_[0-9a-f]{32}");
		}
		client.shutdown().block(Duration.ofSeconds(10));
	}
}
