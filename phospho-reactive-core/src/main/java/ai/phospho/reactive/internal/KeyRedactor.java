package ai.phospho.reactive.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes an API key from text that came from elsewhere (a server's reply, an exception) before it
 * reaches a log line, an exception or {@link PhosphoStats#lastError()}.
 *
 * <p>Redaction runs on the whole text and only then is the text shortened: a cut made first can
 * split the key, and the half left no longer matches it. What is removed:
 * <ul>
 * <li>the key itself;</li>
 * <li>the value of an echoed {@code Authorization} header and any {@code Bearer <token>}, whatever
 * the token (a proxy may echo another credential);</li>
 * <li>any run of at least {@value #MIN_RUN} characters of the key: what a cut of the key, by the
 * server or on the way, leaves at either edge.</li>
 * </ul>
 */
public final class KeyRedactor {

	public static final String REDACTED = "<redacted>";
	/** A run of the key this long is redacted: shorter runs are too common to tell from other text. */
	public static final int MIN_RUN = 8;
	/**
	 * Characters of a reply read at most before redaction: it bounds the work on a huge error page.
	 * Far above any shortened length, so that the cut it makes is never shown.
	 */
	public static final int MAX_SCANNED = 64 * 1024;

	/** {@code Authorization: <scheme> <value>} as a header, JSON or repr echoes it. */
	private static final Pattern AUTHORIZATION = Pattern.compile(
			"(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?)(?:[a-z]+\\s+)?[^\\s\"'\\\\,;<>]+");
	private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)[^\\s\"'\\\\,;<>]+");

	private final String key;

	public KeyRedactor(String key) {
		this.key = key;
	}

	/** {@code text} without the key, any credential header value, and any long run of the key. */
	public String redact(String text) {
		// Header values first, so that an echoed "Authorization: Bearer <key>" becomes one "<redacted>".
		String s = replaceAll(BEARER, replaceAll(AUTHORIZATION, text));
		s = s.contains(key) ? s.replace(key, REDACTED) : s;
		return redactRuns(s);
	}

	/**
	 * Redacts, then shortens to {@code max} characters (plus {@code "..."}): never the other way
	 * round. At most {@link #MAX_SCANNED} characters are read; if that cut leaves the start of the key
	 * at the end, it goes too.
	 */
	public String redactAndShorten(String text, int max) {
		String s = text;
		if (s.length() > MAX_SCANNED) {
			s = withoutKeyPrefixAtEnd(s.substring(0, MAX_SCANNED));
		}
		return shorten(redact(s), max);
	}

	/** Cuts at {@code max} characters, never between the two halves of a surrogate pair. */
	public static String shorten(String s, int max) {
		if (s.length() <= max) {
			return s;
		}
		int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
		return s.substring(0, end) + "...";
	}

	private static String replaceAll(Pattern pattern, String s) {
		Matcher m = pattern.matcher(s);
		return m.find() ? m.replaceAll("$1" + REDACTED) : s;
	}

	/** Removes a start of the key (of any length) that ends {@code s}: what a cut through the key leaves. */
	private String withoutKeyPrefixAtEnd(String s) {
		for (int n = Math.min(key.length(), s.length()); n > 0; n--) {
			if (s.regionMatches(s.length() - n, key, 0, n)) {
				return s.substring(0, s.length() - n);
			}
		}
		return s;
	}

	/** Replaces every run of at least {@link #MIN_RUN} characters (or the whole key when shorter) found in the key. */
	private String redactRuns(String s) {
		int min = Math.min(MIN_RUN, key.length());
		StringBuilder out = null;
		int copied = 0;
		int i = 0;
		while (i + min <= s.length()) {
			int run = longestRunAt(s, i, min);
			if (run == 0) {
				i++;
				continue;
			}
			if (out == null) {
				out = new StringBuilder(s.length());
			}
			out.append(s, copied, i).append(REDACTED);
			i += run;
			copied = i;
		}
		return out == null ? s : out.append(s, copied, s.length()).toString();
	}

	/** The length of the longest part of the key that {@code s} holds at {@code i}, or 0 when shorter than {@code min}. */
	private int longestRunAt(String s, int i, int min) {
		int best = 0;
		for (int j = key.indexOf(s.charAt(i)); j >= 0 && j + min <= key.length(); j = key.indexOf(s.charAt(i), j + 1)) {
			if (!s.regionMatches(i, key, j, min)) {
				continue;
			}
			int n = min;
			while (i + n < s.length() && j + n < key.length() && s.charAt(i + n) == key.charAt(j + n)) {
				n++;
			}
			best = Math.max(best, n);
		}
		return best;
	}
}
