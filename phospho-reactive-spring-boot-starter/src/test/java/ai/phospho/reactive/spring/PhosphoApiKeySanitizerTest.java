package ai.phospho.reactive.spring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class PhosphoApiKeySanitizerTest {

	private final PhosphoApiKeySanitizer sanitizer = new PhosphoApiKeySanitizer();

	@ParameterizedTest
	@ValueSource(strings = { "phospho.api-key", "phospho.apiKey", "phospho.api_key", "PHOSPHO_API_KEY",
			"PHOSPHO_APIKEY" })
	void everySpellingOfTheKeyIsHidden(String key) {
		SanitizableData data = new SanitizableData(new MapPropertySource("test", java.util.Map.of()), key, "sk-1");
		assertThat(sanitizer.apply(data).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "phospho.project-id", "other.api-key", "phospho.api-key-file", "OPENAI_API_KEY" })
	void otherPropertiesAreLeftAlone(String key) {
		SanitizableData data = new SanitizableData(new MapPropertySource("test", java.util.Map.of()), key, "v");
		assertThat(sanitizer.apply(data).getValue()).isEqualTo("v");
	}
}
