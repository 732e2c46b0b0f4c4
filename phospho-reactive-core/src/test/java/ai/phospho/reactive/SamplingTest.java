package ai.phospho.reactive;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.internal.Sampler;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static ai.phospho.reactive.TestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplingTest {

	@Test
	void overAHundredThousandSessionsTheKeptFractionIsWithinOnePercentOfTheRateAndSessionsAreWhole() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(options(exporter).sampleRate(0.25).maxQueueSize(300_000)
				.maxBatchSize(4096).build());
		int sessions = 100_000;
		for (int i = 0; i < sessions; i++) {
			client.log(TaskLog.of("first").output("o").sessionId("session-" + i));
			client.log(TaskLog.of("second").output("o").sessionId("session-" + i));
		}
		client.flush().block(Duration.ofSeconds(60));

		Map<String, Integer> perSession = new HashMap<>();
		exporter.tasks().forEach(t -> perSession.merge(t.sessionId(), 1, Integer::sum));
		assertThat(perSession.values()).allSatisfy(n -> assertThat(n).isEqualTo(2));
		double kept = perSession.size() / (double) sessions;
		assertThat(kept).isBetween(0.24, 0.26);
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(2L * perSession.size());
		assertThat(stats.sampledOut()).isEqualTo(2L * (sessions - perSession.size()));
		assertThat(stats.dropped()).isZero();
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Test
	void theDecisionIsStableAndSharedByEveryClient() {
		Sampler a = Sampler.of(0.5);
		Sampler b = Sampler.of(0.5);
		for (int i = 0; i < 1000; i++) {
			assertThat(a.keeps("s-" + i)).isEqualTo(b.keeps("s-" + i));
		}
		assertThat(Sampler.of(0).keeps("s")).isFalse();
		assertThat(Sampler.of(1).keepsAll()).isTrue();
	}

	@Test
	void flaggedAndFailedTasksAreKeptWhenAskedWhileTheirSessionIsSampledOut() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(options(exporter).sampleRate(0).sampleKeepErrors(true)
				.sampleKeepFlagged(true).build());
		LoggedTask out = client.log(TaskLog.of("plain").output("o").sessionId("s"));
		client.log(TaskLog.of("flagged").output("o").sessionId("s").flag(Flag.FAILURE));
		client.log(TaskLog.of("failed").output("o").sessionId("s").metadata(Map.of("error", "boom")));
		Flux.<String>error(new IllegalStateException("x")).transform(client.logStream("stream"))
				.onErrorComplete().blockLast(Duration.ofSeconds(5));
		Flux.just("a").transform(client.logStream("fine stream")).blockLast(Duration.ofSeconds(5));
		client.flush().block(Duration.ofSeconds(10));

		assertThat(exporter.tasks()).extracting(LoggedTask::input).containsExactlyInAnyOrder("flagged", "failed", "stream");
		assertThat(client.stats().sampledOut()).isEqualTo(2);
		// A sampled-out task is not built: log returns its ids only.
		assertThat(out.sessionId()).isEqualTo("s");
		assertThat(out.input()).isEmpty();
		assertThat(out.output()).isNull();
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Test
	void aStreamOfASampledOutSessionPassesThroughUncapturedAndIsCountedOnce() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(options(exporter).sampleRate(0).build());
		List<String> seen = Flux.just("a", "b", "c").transform(client.logStream("q"))
				.contextWrite(PhosphoContext.session("s-out")).collectList().block(Duration.ofSeconds(5));
		String value = client.logMono("q", Mono.just("v")).contextWrite(PhosphoContext.session("s-out"))
				.block(Duration.ofSeconds(5));
		// Without a session, the task is a session of its own, decided when it ends.
		Flux.just("x").transform(client.logStream("no session")).blockLast(Duration.ofSeconds(5));
		client.flush().block(Duration.ofSeconds(10));

		assertThat(seen).containsExactly("a", "b", "c");
		assertThat(value).isEqualTo("v");
		assertThat(exporter.tasks()).isEmpty();
		assertThat(client.stats().sampledOut()).isEqualTo(3);
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Test
	void aSampleRateOutsideZeroToOneIsRefused() {
		assertThatThrownBy(() -> PhosphoOptions.builder().sampleRate(1.5).build())
				.isInstanceOf(IllegalArgumentException.class).hasMessage("sampleRate must be between 0 and 1, was 1.5");
		assertThatThrownBy(() -> PhosphoOptions.builder().sampleRate(Double.NaN).build())
				.isInstanceOf(IllegalArgumentException.class).hasMessage("sampleRate must be between 0 and 1, was NaN");
	}
}
