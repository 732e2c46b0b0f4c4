package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions.ContentMode;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.TaskMasker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static ai.phospho.reactive.test.Clients.client;
import static org.assertj.core.api.Assertions.assertThat;

/** Redaction and content modes, checked on the bytes the mock server received and by its strict validation. */
@ExtendWith(MockPhosphoServerExtension.class)
class ProductionControlsWireTest {

	private static final String EMAIL = "jane.doe@example.com";
	private static final String CARD = "5555-5555-5555-4444";
	private static final String KEY = "sk-abcdefghijklmnopqrstuvwx";
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private PhosphoClient client;

	@AfterEach
	void shutDown() {
		if (client != null) {
			client.shutdown().block(Duration.ofSeconds(10));
		}
	}

	private static TaskLog<Map<String, Object>, Map<String, Object>> task() {
		return TaskLog.of(Map.<String, Object>of("model", "gpt-4o-mini", "messages", List.of(
				Map.of("role", "system", "content", "Customer " + EMAIL),
				Map.of("role", "user", "content", "Card " + CARD + ", key " + KEY)), "api_key", "plain-secret"))
				.output(Map.<String, Object>of("choices", List.of(Map.of("index", 0, "message",
						Map.of("role", "assistant", "content", "Mailed " + EMAIL))),
						"usage", Map.of("prompt_tokens", 5, "completion_tokens", 2, "total_tokens", 7)))
				.metadata(Map.of("who", List.of(EMAIL)))
				.put("trace", Map.of("deep", List.of(Map.of("note", KEY))));
	}

	@Test
	void nothingUnredactedReachesTheWire(MockPhosphoServer server) {
		client = client(server, b -> b.redactor(TaskMasker.builder().emails().cardNumbers().apiKeys().keys("api_key").build()));
		client.log(task());
		Flux.just("to ", EMAIL).transform(client.logStream("stream for " + EMAIL)).blockLast(Duration.ofSeconds(5));
		StepVerifier.create(client.flush()).verifyComplete();

		String bytes = server.requests().get(0).body();
		assertThat(bytes).doesNotContain(EMAIL, CARD, KEY, "plain-secret").contains("<redacted>");
		assertThat(server.events()).hasSize(2);
		assertThat(server.events().get(0)).containsEntry("input", "Card <redacted>, key <redacted>")
				.containsEntry("system_prompt", "Customer <redacted>").containsEntry("output", "Mailed <redacted>")
				.containsEntry("total_tokens", 7);
		assertThat(client.stats().rejected()).isZero();
	}

	@Test
	void everyContentModePassesTheStrictValidationAndSendsWhatItSays(MockPhosphoServer server) throws Exception {
		for (ContentMode mode : ContentMode.values()) {
			PhosphoClient c = client(server, b -> b.contentMode(mode));
			c.log(task());
			Flux.just("a", "b").transform(c.logStream("q")).blockLast(Duration.ofSeconds(5));
			StepVerifier.create(c.shutdown()).verifyComplete();
			assertThat(c.stats().exported()).as(mode.name()).isEqualTo(2);
			assertThat(c.stats().rejected()).as(mode.name()).isZero();
		}
		List<RecordedRequest> requests = server.requests();
		assertThat(requests).hasSize(3);
		for (int i = 0; i < 3; i++) {
			JsonNode batch = JSON.readTree(requests.get(i).body()).get("batched_log_events");
			for (JsonNode event : batch) {
				assertThat(EventValidator.validate(event)).isNull();
			}
			JsonNode first = batch.get(0);
			switch (ContentMode.values()[i]) {
				case FULL -> assertThat(first.has("raw_input") && first.has("raw_output") && first.has("output")).isTrue();
				case NO_RAW -> {
					assertThat(first.has("raw_input") || first.has("raw_output")).isFalse();
					assertThat(first.get("input").stringValue()).startsWith("Card ");
				}
				case METADATA_ONLY -> {
					String body = requests.get(i).body();
					// The metadata is sent in every mode (it holds the e-mail here); the content is not.
					assertThat(body).doesNotContain(CARD, KEY, "plain-secret", "\"trace\"", "Mailed", "Customer");
					assertThat(first.get("input").stringValue()).isEmpty();
					assertThat(first.has("output") || first.has("system_prompt") || first.has("raw_input")).isFalse();
					assertThat(first.get("total_tokens").intValue()).isEqualTo(7);
					assertThat(first.get("metadata").get("output_chars").intValue()).isEqualTo(("Mailed " + EMAIL).length());
				}
			}
		}
	}
}
