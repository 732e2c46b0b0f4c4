package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The clients a test creates, shut down after it: {@code @RegisterExtension final TestClients
 * clients = new TestClients();} then {@code clients.create(options)}.
 */
final class TestClients implements AfterEachCallback {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final List<PhosphoClient> clients = new ArrayList<>();

	PhosphoClient create(PhosphoOptionsBuilder options) {
		PhosphoClient c = PhosphoClient.create(options.build());
		clients.add(c);
		return c;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		for (PhosphoClient c : clients) {
			c.shutdown().block(TIMEOUT);
		}
		clients.clear();
	}
}
