package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static ai.phospho.reactive.TestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PhosphoContext values follow the request across threads through Micrometer's context-propagation,
 * with Reactor's automatic propagation on, and what happens with it off. In a JVM of its own: the
 * hook is global.
 */
@Tag("isolated-jvm")
class ContextPropagationIsolatedTest {

	private final RecordingExporter exporter = RecordingExporter.immediate();
	private final PhosphoClient client = PhosphoClient.create(options(exporter).testId("t-env").build());

	@AfterEach
	void off() {
		Hooks.disableAutomaticContextPropagation();
		client.shutdown().block(Duration.ofSeconds(10));
	}

	private List<LoggedTask> exported() {
		client.flush().block(Duration.ofSeconds(10));
		return exporter.tasks();
	}

	@Test
	void withAutomaticPropagationALogInsideOperatorsOnOtherThreadsSeesTheContext() {
		Hooks.enableAutomaticContextPropagation();
		Mono.just("q")
				.publishOn(Schedulers.parallel())
				.map(q -> client.log(q, "in map after publishOn").taskId())
				.flatMap(id -> Mono.fromCallable(() -> client.log("blocking", "on boundedElastic").taskId())
						.subscribeOn(Schedulers.boundedElastic()))
				.flatMap(id -> Mono.just("x").subscribeOn(Schedulers.single()).map(x -> client.log(x, "after subscribeOn")))
				.contextWrite(PhosphoContext.session("s-1").user("u-7").metadata("tenant", "acme").test("t-ctx"))
				.block(Duration.ofSeconds(5));

		assertThat(exported()).hasSize(3).allSatisfy(t -> {
			assertThat(t.sessionId()).isEqualTo("s-1");
			assertThat(t.userId()).isEqualTo("u-7");
			assertThat(t.metadata()).containsEntry("tenant", "acme");
			assertThat(t.testId()).isEqualTo("t-ctx");
		});
	}

	@Test
	void withAutomaticPropagationAValueMadeCurrentOnTheThreadReachesTheOperators() {
		Hooks.enableAutomaticContextPropagation();
		try (PhosphoContext.Scope scope = PhosphoContext.session("s-thread").user("u-thread").makeCurrent()) {
			// block() captures the thread's values into the Context; the stream runs on another thread.
			Flux.just("a", "b").publishOn(Schedulers.boundedElastic()).transform(client.logStream("q"))
					.map(c -> client.log(c, "inside").sessionId()).subscribeOn(Schedulers.parallel())
					.blockLast(Duration.ofSeconds(5));
		}
		assertThat(exported()).hasSize(3).allSatisfy(t -> {
			assertThat(t.sessionId()).isEqualTo("s-thread");
			assertThat(t.userId()).isEqualTo("u-thread");
		});
		assertThat(PhosphoContext.current()).isNull();
	}

	@Test
	void withoutAutomaticPropagationOperatorsStillReadTheContextAndImperativeCodeTheThread() {
		String inMap = Mono.just("q").publishOn(Schedulers.parallel()).map(q -> client.log(q, "o").sessionId())
				.contextWrite(PhosphoContext.session("s-ctx")).block(Duration.ofSeconds(5));
		Flux.just("a").publishOn(Schedulers.parallel()).transform(client.logStream("q"))
				.contextWrite(PhosphoContext.session("s-ctx")).blockLast(Duration.ofSeconds(5));
		try (PhosphoContext.Scope scope = PhosphoContext.session("s-thread").metadata("k", "v").makeCurrent()) {
			client.log("imperative", "o");
			Flux.just("a").transform(client.logStream("subscribed here")).blockLast(Duration.ofSeconds(5));
		}
		// The map ran on another thread, where nothing carried the Context: a session of its own.
		assertThat(inMap).isNotEqualTo("s-ctx");
		assertThat(exported()).extracting(LoggedTask::sessionId).containsExactlyInAnyOrder(inMap, "s-ctx",
				"s-thread", "s-thread");
		assertThat(exporter.tasks()).filteredOn(t -> t.sessionId().equals("s-thread"))
				.allSatisfy(t -> assertThat(t.metadata()).containsEntry("k", "v"));
		assertThat(exporter.tasks()).allSatisfy(t -> assertThat(t.testId()).isEqualTo("t-env"));
	}

	@Test
	void scopesNestAndRestoreWhatWasCurrent() {
		try (PhosphoContext.Scope outer = PhosphoContext.session("outer").metadata("a", 1).makeCurrent()) {
			try (PhosphoContext.Scope inner = PhosphoContext.user("u").metadata("b", 2).makeCurrent()) {
				assertThat(PhosphoContext.current()).isNotNull();
				assertThat(PhosphoContext.current().sessionId()).isEqualTo("outer");
				assertThat(PhosphoContext.current().metadata()).isEqualTo(Map.of("a", 1L, "b", 2L));
			}
			assertThat(PhosphoContext.current().userId()).isNull();
		}
		assertThat(PhosphoContext.current()).isNull();
	}
}
