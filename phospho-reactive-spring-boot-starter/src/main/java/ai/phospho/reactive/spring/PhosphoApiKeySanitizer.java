package ai.phospho.reactive.spring;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Hides the phospho API key in the actuator's {@code env} and {@code configprops} endpoints, where
 * Boot shows every value when {@code show-values} is {@code always}. The key is matched in each of
 * its spellings: {@code phospho.api-key}, {@code phospho.apiKey} (configprops) and
 * {@code PHOSPHO_API_KEY} (environment variable).
 */
final class PhosphoApiKeySanitizer implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		return isApiKey(data.getKey()) ? data.withSanitizedValue() : data;
	}

	static boolean isApiKey(String key) {
		StringBuilder canonical = new StringBuilder(key.length());
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (Character.isLetterOrDigit(c)) {
				canonical.append(c);
			}
		}
		return canonical.toString().toLowerCase(Locale.ROOT).equals("phosphoapikey");
	}
}
