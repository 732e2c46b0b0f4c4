package ai.phospho.reactive.otel;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Duration, token usage by type and time to first chunk, through the same OpenTelemetry. */
class PhosphoOtelMetricsTest {

	static MetricData metric(Collection<MetricData> all, String name) {
		return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
	}

	static HistogramPointData point(MetricData m, String tokenType) {
		return m.getHistogramData().getPoints().stream()
				.filter(p -> tokenType.equals(p.getAttributes().get(GenAi.TOKEN_TYPE))).findFirst().orElseThrow();
	}

	@Test
	void durationTokensAndTimeToFirstChunkAreRecordedPerTask() {
		try (OtelFixture f = OtelFixture.create()) {
			f.client.log(PhosphoOtelSpanTest.REQUEST, PhosphoOtelSpanTest.COMPLETION);
			StepVerifier.create(Flux.just(PhosphoOtelSpanTest.chunk("a"), PhosphoOtelSpanTest.USAGE_CHUNK)
					.delayElements(Duration.ofMillis(30)).transform(f.client.logStream(PhosphoOtelSpanTest.REQUEST)))
					.expectNextCount(2).expectComplete().verify(Duration.ofSeconds(5));
			f.client.log(Map.of("model", "m"), "no usage");

			Collection<MetricData> all = f.metrics.collectAllMetrics();
			MetricData duration = metric(all, "gen_ai.client.operation.duration");
			assertThat(duration.getUnit()).isEqualTo("s");
			long calls = duration.getHistogramData().getPoints().stream().mapToLong(HistogramPointData::getCount).sum();
			assertThat(calls).isEqualTo(3);
			assertThat(duration.getHistogramData().getPoints()).allSatisfy(p -> {
				assertThat(p.getAttributes().get(GenAi.OPERATION_NAME)).isEqualTo("chat");
				assertThat(p.getAttributes().get(GenAi.PROVIDER_NAME)).isEqualTo("openai");
			});

			MetricData tokens = metric(all, "gen_ai.client.token.usage");
			assertThat(tokens.getUnit()).isEqualTo("{token}");
			// Input 12 (call) + 7 (stream), output 3 + 2; the task without usage records nothing.
			assertThat(point(tokens, "input").getSum()).isEqualTo(19.0);
			assertThat(point(tokens, "input").getCount()).isEqualTo(2);
			assertThat(point(tokens, "output").getSum()).isEqualTo(5.0);

			MetricData ttfc = metric(all, "gen_ai.client.operation.time_to_first_chunk");
			assertThat(ttfc.getHistogramData().getPoints()).singleElement().satisfies(p -> {
				assertThat(p.getCount()).isEqualTo(1);
				assertThat(p.getSum()).isGreaterThanOrEqualTo(0.025);
				assertThat(p.getAttributes()).isNotEqualTo(Attributes.empty());
			});
		}
	}
}
