package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineShutdownTest {

	private static PhosphoClient client(TaskExporter exporter, Duration shutdownTimeout) {
		return PhosphoClient.create(PhosphoOptions.builder().exporter(exporter).shutdownTimeout(shutdownTimeout)
				.shutdownHook(false).build());
	}

	@Test
	void aFlushAfterShutdownCompletesAtOnce() {
		PhosphoClient client = client(batch -> Mono.just(ExportResult.accepted(batch.size())), Duration.ofSeconds(5));
		client.log("in", "out");
		StepVerifier.create(client.shutdown()).expectComplete().verify(Duration.ofSeconds(5));

		StepVerifier.create(client.flush()).expectComplete().verify(Duration.ofSeconds(5));
		assertThat(client.stats().exported()).isEqualTo(1);
	}

	@Test
	void aShutdownTimeoutCancelsTheExportInFlightAndCountsWhatWasHeld() {
		List<Boolean> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
		PhosphoClient client = client(batch -> Mono.<ExportResult>never().doOnCancel(() -> cancelled.add(true)),
				Duration.ofMillis(200));
		client.log("a", "1");
		client.log("b", "2");

		StepVerifier.create(client.shutdown()).expectComplete().verify(Duration.ofSeconds(5));

		assertThat(cancelled).containsExactly(true);
		assertThat(client.stats().dropped()).isEqualTo(2);
		assertThat(client.stats().queued()).isZero();
		assertThat(client.stats().inFlight()).isZero();
		StepVerifier.create(client.flush()).expectComplete().verify(Duration.ofSeconds(5));
	}
}
