package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.phospho.reactive.export.TaskListener;
import ai.phospho.reactive.internal.Callbacks;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.ContextView;

import static org.assertj.core.api.Assertions.assertThat;

class TaskListenerTest {

	/** Records what it is told; its state for a task is the Context's "tag" and a start number. */
	static final class Recording implements TaskListener {
		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public @Nullable Object onStart(ContextView context) {
			String tag = context.getOrDefault("tag", "none");
			events.add("start " + tag);
			return tag;
		}

		@Override
		public Map<String, Object> metadata(@Nullable Object state) {
			return Map.of("trace_id", "t-" + state, "always", "listener");
		}

		@Override
		public void onEnd(LoggedTask task, @Nullable Object state) {
			events.add("end " + state + " " + task.metadata().get("stream_status"));
		}
	}

	static final class Throwing implements TaskListener {
		@Override
		public Object onStart(ContextView context) {
			throw new IllegalStateException("onStart");
		}

		@Override
		public Map<String, Object> metadata(@Nullable Object state) {
			throw new IllegalStateException("metadata");
		}

		@Override
		public void onEnd(LoggedTask task, @Nullable Object state) {
			throw new IllegalStateException("onEnd");
		}
	}

	private static PhosphoClient client(RecordingExporter exporter, TaskListener... listeners) {
		PhosphoOptionsBuilder b = TestSupport.options(exporter);
		for (TaskListener l : listeners) {
			b.addTaskListener(l);
		}
		return PhosphoClient.create(b.build());
	}

	@Test
	void aLoggedTaskStartsAndEndsOnceWithTheListenersMetadata() {
		Recording listener = new Recording();
		PhosphoClient client = client(RecordingExporter.immediate(), listener);
		LoggedTask t = client.log(TaskLog.of("in").output("out").metadata(Map.of("always", "mine")));
		assertThat(listener.events).containsExactly("start none", "end none null");
		assertThat(t.metadata()).containsEntry("trace_id", "t-none").containsEntry("always", "mine");
		client.shutdown().block(Duration.ofSeconds(5));
	}

	@Test
	void aStreamStartsAtSubscribeWithItsContextAndEndsOnceWhenCancelled() {
		Recording listener = new Recording();
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, listener);
		Flux<String> flux = Flux.just("a", "b", "c").transform(client.logStream("q"));
		assertThat(listener.events).isEmpty();
		StepVerifier.create(flux.take(2).contextWrite(c -> c.put("tag", "s1")))
				.expectNext("a", "b").expectComplete().verify(Duration.ofSeconds(5));
		assertThat(listener.events).containsExactly("start s1", "end s1 cancelled");
		client.flush().block(Duration.ofSeconds(5));
		assertThat(exporter.tasks()).singleElement()
				.satisfies(t -> assertThat(t.metadata()).containsEntry("trace_id", "t-s1"));
		client.shutdown().block(Duration.ofSeconds(5));
	}

	@Test
	void aMonoThatCompletesEmptyEndsOnce() {
		Recording listener = new Recording();
		PhosphoClient client = client(RecordingExporter.immediate(), listener);
		StepVerifier.create(client.logMono("q", Mono.<String>empty()).contextWrite(c -> c.put("tag", "m")))
				.expectComplete().verify(Duration.ofSeconds(5));
		assertThat(listener.events).containsExactly("start m", "end m completed");
		client.shutdown().block(Duration.ofSeconds(5));
	}

	@Test
	void aListenerThatThrowsBreaksNeitherTheStreamNorTheTaskNorTheOtherListeners() {
		Recording listener = new Recording();
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(exporter, new Throwing(), listener);
		StepVerifier.create(Flux.just("a", "b").transform(client.logStream("q")))
				.expectNext("a", "b").expectComplete().verify(Duration.ofSeconds(5));
		LoggedTask logged = client.log("in", "out");
		client.flush().block(Duration.ofSeconds(5));
		assertThat(exporter.tasks()).hasSize(2);
		assertThat(logged.output()).isEqualTo("out");
		assertThat(listener.events).containsExactly("start none", "end none completed", "start none", "end none null");
		for (String method : List.of("onStart", "metadata", "onEnd")) {
			assertThat(Callbacks.wasReported("listener:" + Throwing.class.getName() + "." + method)).isTrue();
		}
		client.shutdown().block(Duration.ofSeconds(5));
	}
}
