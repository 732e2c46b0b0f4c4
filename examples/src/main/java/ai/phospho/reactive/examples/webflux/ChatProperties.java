package ai.phospho.reactive.examples.webflux;

import ai.phospho.reactive.openai.OpenAiClient;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code examples.openai.*}: where the chat endpoint sends its LLM calls.
 *
 * @param baseUrl the OpenAI-compatible API; default OpenAI's
 * @param apiKey  the API key; default {@code OPENAI_API_KEY}
 * @param model   the model; default {@code gpt-4o-mini}
 */
@ConfigurationProperties("examples.openai")
public record ChatProperties(
		@DefaultValue(OpenAiClient.DEFAULT_BASE_URL) String baseUrl,
		@Nullable String apiKey,
		@DefaultValue("gpt-4o-mini") String model) {

	/** Without the key's value. */
	@Override
	public String toString() {
		return "ChatProperties{baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : "set") + ", model="
				+ model + '}';
	}
}
