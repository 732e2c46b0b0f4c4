package ai.phospho.reactive;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** An export that never completes holds its slot for {@code exportTimeout} at most. */
class ExportTimeoutTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final TestClients clients = new TestClients();

	PhosphoClient client(PhosphoOptionsBuilder options) {
		return clients.create(options);
	}

	@Test
	void anExportThatNeverCompletesIsCancelledAtTheTimeoutAndLaterBatchesFlow() {
		AtomicInteger calls = new AtomicInteger();
		AtomicBoolean cancelled = new AtomicBoolean();
		RecordingExporter good = RecordingExporter.immediate();
		TaskExporter firstNeverCompletes = batch -> calls.getAndIncrement() == 0
				? Mono.<ExportResult>never().doOnCancel(() -> cancelled.set(true))
				: good.export(batch);
		// One export slot: without the timeout the stuck export would hold it for good.
		PhosphoClient client = client(TestSupport.options(firstNeverCompletes).maxBatchSize(1)
				.maxConcurrentExports(1).exportTimeout(Duration.ofMillis(200)));
		client.log("stuck", "a");
		client.log("second", "b");
		client.log("third", "c");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(good.tasks()).extracting(LoggedTask::input).containsExactly("second", "third");
		assertThat(cancelled).isTrue();
		PhosphoStats stats = client.stats();
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.exported()).isEqualTo(2);
		assertThat(stats.queued()).isZero();
		assertThat(stats.inFlight()).isZero();
		assertThat(stats.lastError()).isEqualTo("java.util.concurrent.TimeoutException: the export of 1 tasks did not "
				+ "complete within exportTimeout (PT0.2S); it was cancelled");
	}

	@Test
	void anExportWithinTheTimeoutIsUntouched() {
		RecordingExporter slow = RecordingExporter.delayed(Duration.ofMillis(50));
		PhosphoClient client = client(TestSupport.options(slow).exportTimeout(Duration.ofSeconds(2)));
		client.log("q", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(client.stats().exported()).isEqualTo(1);
		assertThat(client.stats().failed()).isZero();
	}

	@Test
	void theExportTimeoutIsFifteenMinutesByDefault() {
		assertThat(PhosphoOptions.builder().build().exportTimeout()).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void anExportTimeoutThatIsNotPositiveOrAboveAWeekIsRefused() {
		assertThatIllegalArgumentException()
				.isThrownBy(() -> PhosphoOptions.builder().exportTimeout(Duration.ZERO).build())
				.withMessage("exportTimeout must be strictly positive, was PT0S");
		assertThatIllegalArgumentException()
				.isThrownBy(() -> PhosphoOptions.builder().exportTimeout(Duration.ofHours(169)).build())
				.withMessage("exportTimeout must be at most PT168H, was PT169H");
	}
}
