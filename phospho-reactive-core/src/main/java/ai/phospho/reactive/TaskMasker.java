package ai.phospho.reactive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A ready {@link TaskRedactor}: replaces what regular expressions match in every text of a task
 * (input, output, system prompt, and every string inside the raw input, raw output, metadata and
 * extra keys, at any depth), and the whole value of any map entry whose key is one of the given
 * names (case-insensitive), wherever the map is.
 *
 * <pre>{@code
 * PhosphoOptions.builder()
 *     .redactor(TaskMasker.builder().emails().cardNumbers().apiKeys().keys("password", "authorization").build())
 * }</pre>
 *
 * <p>The defaults a user opts into:
 * <ul>
 * <li>{@link Builder#emails()}: {@code name@domain.tld};</li>
 * <li>{@link Builder#cardNumbers()}: 13 to 19 digits, with single spaces or dashes between them, that
 * pass the Luhn check (so order numbers and timestamps are left alone);</li>
 * <li>{@link Builder#apiKeys()}: {@code sk-}, {@code pk-}, {@code rk-} followed by at least 16 key
 * characters (OpenAI, Anthropic's {@code sk-ant-}), GitHub's {@code ghp_}, {@code gho_},
 * {@code github_pat_}, AWS's {@code AKIA...}, Google's {@code AIza...}, and {@code Bearer <token>}.</li>
 * </ul>
 * A task with nothing to mask is returned as it is.
 */
public final class TaskMasker implements TaskRedactor {

	/** What replaces a match or a masked value. */
	public static final String DEFAULT_REPLACEMENT = "<redacted>";

	static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
	static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
	static final Pattern API_KEY = Pattern.compile("\\b(?:(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|gh[po]_[A-Za-z0-9]{20,}"
			+ "|github_pat_[A-Za-z0-9_]{20,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})"
			+ "|(?i)(?<=\\bbearer\\s)[A-Za-z0-9._~+/=-]{8,}");

	private final List<Pattern> patterns;
	private final boolean cards;
	private final Set<String> keys;
	private final String replacement;

	private TaskMasker(Builder b) {
		this.patterns = List.copyOf(b.patterns);
		this.cards = b.cards;
		this.keys = Set.copyOf(b.keys);
		this.replacement = b.replacement;
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public LoggedTask redact(LoggedTask task) {
		String input = text(task.input());
		String output = task.output() == null ? null : text(task.output());
		String system = task.systemPrompt() == null ? null : text(task.systemPrompt());
		Object rawIn = value(task.rawInput());
		Object rawOut = value(task.rawOutput());
		Object metadata = value(task.metadata());
		Object extras = value(task.extras());
		if (input == task.input() && output == task.output() && system == task.systemPrompt()
				&& rawIn == task.rawInput() && rawOut == task.rawOutput() && metadata == task.metadata()
				&& extras == task.extras()) {
			return task;
		}
		LoggedTask.Builder b = task.toBuilder().input(input).output(output).systemPrompt(system);
		if (rawIn != task.rawInput()) {
			b.rawInput(rawIn);
		}
		if (rawOut != task.rawOutput()) {
			b.rawOutput(rawOut);
		}
		if (metadata != task.metadata()) {
			b.metadata(asMap(metadata));
		}
		if (extras != task.extras()) {
			b.extras(asMap(extras));
		}
		return b.build();
	}

	/** The text masked; the same instance when nothing matched. */
	String text(String s) {
		String out = s;
		for (Pattern p : patterns) {
			Matcher m = p.matcher(out);
			if (m.find()) {
				out = m.replaceAll(Matcher.quoteReplacement(replacement));
			}
		}
		return cards ? cards(out) : out;
	}

	private String cards(String s) {
		Matcher m = CARD.matcher(s);
		StringBuilder sb = null;
		int copied = 0;
		while (m.find()) {
			if (luhn(m.group())) {
				if (sb == null) {
					sb = new StringBuilder(s.length());
				}
				sb.append(s, copied, m.start()).append(replacement);
				copied = m.end();
			}
		}
		return sb == null ? s : sb.append(s, copied, s.length()).toString();
	}

	static boolean luhn(String candidate) {
		int sum = 0;
		boolean twice = false;
		for (int i = candidate.length() - 1; i >= 0; i--) {
			char c = candidate.charAt(i);
			if (c < '0' || c > '9') {
				continue;
			}
			int d = c - '0';
			if (twice) {
				d = d * 2 > 9 ? d * 2 - 9 : d * 2;
			}
			sum += d;
			twice = !twice;
		}
		return sum % 10 == 0;
	}

	/** A plain value masked: the same instance when nothing changed. */
	private @Nullable Object value(@Nullable Object v) {
		if (v instanceof String s) {
			return text(s);
		}
		if (v instanceof Map<?, ?> map) {
			Map<String, Object> copy = null;
			for (Map.Entry<?, ?> e : map.entrySet()) {
				String key = String.valueOf(e.getKey());
				Object before = e.getValue();
				Object after = before != null && keys.contains(key.toLowerCase(Locale.ROOT)) ? replacement : value(before);
				if (after != before && copy == null) {
					copy = new LinkedHashMap<>();
					for (Map.Entry<?, ?> earlier : map.entrySet()) {
						if (earlier == e) {
							break;
						}
						copy.put(String.valueOf(earlier.getKey()), earlier.getValue());
					}
				}
				if (copy != null) {
					copy.put(key, after);
				}
			}
			return copy == null ? v : copy;
		}
		if (v instanceof List<?> list) {
			List<Object> copy = null;
			for (int i = 0; i < list.size(); i++) {
				Object before = list.get(i);
				Object after = value(before);
				if (after != before && copy == null) {
					copy = new ArrayList<>(list.subList(0, i));
				}
				if (copy != null) {
					copy.add(after);
				}
			}
			return copy == null ? v : copy;
		}
		return v;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> asMap(@Nullable Object v) {
		return v instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
	}

	@Override
	public String toString() {
		return "TaskMasker{patterns=" + patterns + ", cardNumbers=" + cards + ", keys=" + keys + '}';
	}

	/** Builds a {@link TaskMasker}; nothing is masked until a pattern, a default or a key is added. */
	public static final class Builder {

		private final List<Pattern> patterns = new ArrayList<>();
		private final Set<String> keys = new TreeSet<>();
		private boolean cards;
		private String replacement = DEFAULT_REPLACEMENT;

		private Builder() {
		}

		/** Masks e-mail addresses. */
		public Builder emails() {
			return pattern(EMAIL);
		}

		/** Masks card numbers that pass the Luhn check. */
		public Builder cardNumbers() {
			cards = true;
			return this;
		}

		/** Masks API-key-like tokens (see the class documentation). */
		public Builder apiKeys() {
			return pattern(API_KEY);
		}

		/** Masks every match of {@code regex}. */
		public Builder pattern(String regex) {
			return pattern(Pattern.compile(Objects.requireNonNull(regex, "regex")));
		}

		/** Masks every match of {@code pattern}. */
		public Builder pattern(Pattern pattern) {
			patterns.add(Objects.requireNonNull(pattern, "pattern"));
			return this;
		}

		/** Masks the whole value of every map entry with one of these keys (case-insensitive), at any depth. */
		public Builder keys(String... names) {
			for (String n : names) {
				if (Objects.requireNonNull(n, "a key name").isBlank()) {
					throw new IllegalArgumentException("a key name must not be blank, was '" + n + "'");
				}
				keys.add(n.toLowerCase(Locale.ROOT));
			}
			return this;
		}

		/** What replaces a match or a masked value. Default {@value #DEFAULT_REPLACEMENT}. */
		public Builder replacement(String replacement) {
			this.replacement = Objects.requireNonNull(replacement, "replacement");
			return this;
		}

		public TaskMasker build() {
			return new TaskMasker(this);
		}
	}
}
