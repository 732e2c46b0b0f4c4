package ai.phospho.reactive;

import java.time.Duration;

import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import reactor.core.publisher.Mono;

/** The TCK's publisher rules for a {@code Mono} passed through {@code logMono}; run by {@link StreamTckTest}. */
public class LoggedMonoVerification extends PublisherVerification<String> {

	private final PhosphoClient client = RecordingExporter.counting().client();

	public LoggedMonoVerification() {
		super(new TestEnvironment(100, 20), 100);
	}

	@Override
	public long maxElementsFromPublisher() {
		return 1;
	}

	@Override
	public Publisher<String> createPublisher(long elements) {
		return client.logMono("q", elements == 0 ? Mono.<String>empty() : Mono.just("v"));
	}

	@Override
	public Publisher<String> createFailedPublisher() {
		return client.logMono("q", Mono.<String>error(new IllegalStateException("failed publisher")));
	}

	@AfterClass
	public void shutdown() {
		client.shutdown().block(Duration.ofSeconds(5));
	}
}
