package ai.phospho.reactive;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The static facade. */
class PhosphoTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** Phospho keeps its client in a static field; each test starts without one. */
	@BeforeEach
	@AfterEach
	void forgetTheClient() {
		PhosphoClient c = Phospho.reset();
		if (c != null) {
			c.shutdown().block(TIMEOUT);
		}
	}

	@Test
	void loggingBeforeInitThrowsAndSaysToCallInit() {
		assertThatIllegalStateException().isThrownBy(() -> Phospho.log("q", "a"))
				.withMessageContaining("Phospho.init()");
		assertThatIllegalStateException().isThrownBy(() -> Phospho.log(TaskLog.of("q")))
				.withMessageContaining("Phospho.init()");
		assertThatIllegalStateException().isThrownBy(Phospho::stats).withMessageContaining("Phospho.init()");
	}

	@Test
	void flushAndShutdownBeforeInitComplete() {
		StepVerifier.create(Phospho.flush()).expectComplete().verify(TIMEOUT);
		StepVerifier.create(Phospho.shutdown()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void logGoesToTheClientOfInit() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = Phospho.init(TestSupport.options(exporter).build());

		LoggedTask t = Phospho.log("q", "a");
		StepVerifier.create(Phospho.flush()).expectComplete().verify(TIMEOUT);

		assertThat(Phospho.client()).isSameAs(client);
		assertThat(exporter.tasks()).containsExactly(t);
		assertThat(Phospho.stats().exported()).isEqualTo(1);
	}

	@Test
	void aSecondInitShutsTheFirstClientDownAfterDeliveringItsTasks() throws InterruptedException {
		RecordingExporter first = RecordingExporter.immediate();
		RecordingExporter second = RecordingExporter.immediate();
		PhosphoClient firstClient = Phospho.init(TestSupport.options(first).lingerDelay(Duration.ofMinutes(10)).build());
		LoggedTask a = Phospho.log("a", "1");
		LoggedTask b = Phospho.log("b", "2");

		PhosphoClient secondClient = Phospho.init(TestSupport.options(second).build());
		LoggedTask c = Phospho.log("c", "3");

		assertThat(firstClient.isShutdown()).isTrue();
		assertThat(first.awaitTasks(2, TIMEOUT)).isTrue();
		assertThat(first.tasks()).containsExactly(a, b);
		StepVerifier.create(Phospho.flush()).expectComplete().verify(TIMEOUT);
		assertThat(second.tasks()).containsExactly(c);
		assertThat(Phospho.client()).isSameAs(secondClient);
		assertThat(secondClient.isShutdown()).isFalse();
	}

	@Test
	void shutdownFlushesTheCurrentClient() {
		RecordingExporter exporter = RecordingExporter.immediate();
		Phospho.init(TestSupport.options(exporter).lingerDelay(Duration.ofMinutes(10)).build());
		Phospho.log("q", "a");

		StepVerifier.create(Phospho.shutdown()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.tasks()).hasSize(1);
		assertThat(exporter.wasShutdown()).isTrue();
	}
}
