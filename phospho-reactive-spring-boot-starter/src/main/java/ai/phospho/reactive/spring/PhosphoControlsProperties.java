package ai.phospho.reactive.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import ai.phospho.reactive.TaskMasker;
import ai.phospho.reactive.TaskRedactor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The production controls among the {@code phospho.*} properties: redaction, content mode, sampling,
 * the test id and the WebFlux context filter. Kept apart from {@link PhosphoProperties}, which holds
 * the client and exporter settings; both bind under {@code phospho}.
 *
 * <pre>
 * phospho.redaction.emails=true
 * phospho.redaction.card-numbers=true
 * phospho.redaction.api-keys=true
 * phospho.redaction.keys=password,authorization
 * phospho.content-mode=no-raw
 * phospho.sampling.rate=0.1
 * phospho.sampling.keep-errors=true
 * phospho.web.context.enabled=true
 * </pre>
 */
@ConfigurationProperties("phospho")
public class PhosphoControlsProperties {

	/** What of a task's content is sent: full, no-raw (no raw_input/raw_output) or metadata-only. */
	private PhosphoOptions.ContentMode contentMode = PhosphoOptions.ContentMode.FULL;

	/** The test_id of every task. Default: PHOSPHO_TEST_ID, else none. */
	private @Nullable String testId;

	private final Redaction redaction = new Redaction();

	private final Sampling sampling = new Sampling();

	private final Web web = new Web();

	public PhosphoOptions.ContentMode getContentMode() {
		return contentMode;
	}

	public void setContentMode(PhosphoOptions.ContentMode contentMode) {
		this.contentMode = contentMode;
	}

	public @Nullable String getTestId() {
		return testId;
	}

	public void setTestId(@Nullable String testId) {
		this.testId = testId;
	}

	public Redaction getRedaction() {
		return redaction;
	}

	public Sampling getSampling() {
		return sampling;
	}

	public Web getWeb() {
		return web;
	}

	/**
	 * These controls over {@code options}; {@code redactor} (an application bean) runs after the
	 * masking of the properties.
	 *
	 * @throws InvalidConfigurationPropertyValueException naming the property and its bad value
	 */
	/** The masking of the properties, then {@code redactor} (an application bean); {@code null} for neither. */
	@Nullable TaskRedactor redactor(@Nullable TaskRedactor redactor) {
		TaskRedactor masker = redaction.masker();
		return masker == null ? redactor : redactor == null ? masker : masker.andThen(redactor);
	}

	PhosphoOptions applyTo(PhosphoOptions options, @Nullable TaskRedactor redactor) {
		double rate = sampling.rate;
		if (!(rate >= 0 && rate <= 1)) {
			throw new InvalidConfigurationPropertyValueException("phospho.sampling.rate", rate, "must be between 0 and 1");
		}
		if (testId != null && testId.isBlank()) {
			throw new InvalidConfigurationPropertyValueException("phospho.test-id", testId, "must not be blank");
		}
		TaskRedactor chain = redactor(redactor);
		PhosphoOptionsBuilder b = options.toBuilder().contentMode(contentMode).sampleRate(rate)
				.sampleKeepErrors(sampling.keepErrors).sampleKeepFlagged(sampling.keepFlagged);
		if (chain != null) {
			b.redactor(chain);
		}
		if (testId != null) {
			b.testId(testId);
		}
		return b.build();
	}

	/** {@code phospho.redaction.*}: a {@link TaskMasker} run on the export worker before any exporter. */
	public static class Redaction {

		/** Whether e-mail addresses are masked. */
		private boolean emails;

		/** Whether card numbers (13 to 19 digits that pass the Luhn check) are masked. */
		private boolean cardNumbers;

		/** Whether API-key-like tokens (sk-..., ghp_..., AKIA..., Bearer tokens) are masked. */
		private boolean apiKeys;

		/** Regular expressions whose matches are masked in every text and nested string. */
		private List<String> patterns = new ArrayList<>();

		/** Map keys whose whole value is masked, in metadata and raw values, at any depth (case-insensitive). */
		private List<String> keys = new ArrayList<>();

		/** What replaces a match or a masked value. */
		private String replacement = TaskMasker.DEFAULT_REPLACEMENT;

		@Nullable TaskRedactor masker() {
			if (!emails && !cardNumbers && !apiKeys && patterns.isEmpty() && keys.isEmpty()) {
				return null;
			}
			TaskMasker.Builder b = TaskMasker.builder().replacement(replacement);
			if (emails) {
				b.emails();
			}
			if (cardNumbers) {
				b.cardNumbers();
			}
			if (apiKeys) {
				b.apiKeys();
			}
			for (int i = 0; i < patterns.size(); i++) {
				try {
					b.pattern(Pattern.compile(patterns.get(i)));
				}
				catch (PatternSyntaxException e) {
					throw new InvalidConfigurationPropertyValueException("phospho.redaction.patterns[" + i + "]",
							patterns.get(i), e.getDescription());
				}
			}
			try {
				b.keys(keys.toArray(String[]::new));
			}
			catch (IllegalArgumentException e) {
				throw new InvalidConfigurationPropertyValueException("phospho.redaction.keys", keys, e.getMessage());
			}
			return b.build();
		}

		public boolean isEmails() {
			return emails;
		}

		public void setEmails(boolean emails) {
			this.emails = emails;
		}

		public boolean isCardNumbers() {
			return cardNumbers;
		}

		public void setCardNumbers(boolean cardNumbers) {
			this.cardNumbers = cardNumbers;
		}

		public boolean isApiKeys() {
			return apiKeys;
		}

		public void setApiKeys(boolean apiKeys) {
			this.apiKeys = apiKeys;
		}

		public List<String> getPatterns() {
			return patterns;
		}

		public void setPatterns(List<String> patterns) {
			this.patterns = patterns;
		}

		public List<String> getKeys() {
			return keys;
		}

		public void setKeys(List<String> keys) {
			this.keys = keys;
		}

		public String getReplacement() {
			return replacement;
		}

		public void setReplacement(String replacement) {
			this.replacement = replacement;
		}
	}

	/** {@code phospho.sampling.*}: which sessions are logged. */
	public static class Sampling {

		/** The fraction of sessions logged, 0 to 1, decided per session_id with a stable hash. */
		private double rate = PhosphoOptions.DEFAULT_SAMPLE_RATE;

		/** Whether a task that ended in an error is logged even when its session is sampled out. */
		private boolean keepErrors;

		/** Whether a task with a flag (user feedback) is logged even when its session is sampled out. */
		private boolean keepFlagged;

		public double getRate() {
			return rate;
		}

		public void setRate(double rate) {
			this.rate = rate;
		}

		public boolean isKeepErrors() {
			return keepErrors;
		}

		public void setKeepErrors(boolean keepErrors) {
			this.keepErrors = keepErrors;
		}

		public boolean isKeepFlagged() {
			return keepFlagged;
		}

		public void setKeepFlagged(boolean keepFlagged) {
			this.keepFlagged = keepFlagged;
		}
	}

	/** {@code phospho.web.*}. */
	public static class Web {

		private final Context context = new Context();

		public Context getContext() {
			return context;
		}
	}

	/** {@code phospho.web.context.*}: the WebFilter that puts the request's session and user in the Reactor Context. */
	public static class Context {

		/** Whether a WebFilter takes the session and user of each request from its headers (WebFlux only). */
		private boolean enabled;

		/** The request header that holds the session id. */
		private String sessionHeader = "X-Session-Id";

		/** The request header that holds the user id. */
		private String userHeader = "X-User-Id";

		public boolean isEnabled() {
			return enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getSessionHeader() {
			return sessionHeader;
		}

		public void setSessionHeader(String sessionHeader) {
			this.sessionHeader = sessionHeader;
		}

		public String getUserHeader() {
			return userHeader;
		}

		public void setUserHeader(String userHeader) {
			this.userHeader = userHeader;
		}
	}
}
