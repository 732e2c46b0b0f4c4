package ai.phospho.reactive;

import java.time.Duration;

import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import reactor.core.publisher.Flux;

/** The TCK's publisher rules for a {@code Flux} passed through {@code logStream}; run by {@link StreamTckTest}. */
public class TappedPublisherVerification extends PublisherVerification<String> {

	private final PhosphoClient client = RecordingExporter.counting().client();

	public TappedPublisherVerification() {
		super(new TestEnvironment(100, 20), 100);
	}

	@Override
	public Publisher<String> createPublisher(long elements) {
		Flux<String> source = elements <= Integer.MAX_VALUE
				? Flux.range(0, (int) elements).map(String::valueOf)
				: Flux.<String>generate(sink -> sink.next("x"));
		return client.tap(source, "never"::equals);
	}

	@Override
	public Publisher<String> createFailedPublisher() {
		return Flux.<String>error(new IllegalStateException("failed publisher")).transform(client.logStream("q"));
	}

	@AfterClass
	public void shutdown() {
		client.shutdown().block(Duration.ofSeconds(5));
	}
}
