package ai.phospho.reactive.openai;

import java.time.Duration;

/** Validation shared by the clients' builders. */
final class Clients {

	private Clients() {
	}

	static void validate(String baseUrl, Duration connectTimeout, Duration responseTimeout) {
		if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
			throw new IllegalArgumentException("baseUrl must be an http or https URL, was '" + baseUrl + "'");
		}
		if (connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw new IllegalArgumentException("connectTimeout must be strictly positive, was " + connectTimeout);
		}
		if (responseTimeout.isNegative() || responseTimeout.isZero()) {
			throw new IllegalArgumentException("responseTimeout must be strictly positive, was " + responseTimeout);
		}
	}
}
