package ai.phospho.reactive.internal;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import ai.phospho.reactive.PhosphoOptionsException;
import org.jspecify.annotations.Nullable;

/**
 * The checks of the builders' {@code build()}: each failure is a {@link PhosphoOptionsException}
 * naming the option and showing the bad value, except the API key's, which is never shown (nor is a
 * password in a URL). Internal: not public API.
 */
public final class OptionChecks {

	/** The user info of a URL ({@code //user:password@}), masked wherever a URL is shown. */
	private static final Pattern USER_INFO = Pattern.compile("//[^/?#@]*@");

	private OptionChecks() {
	}

	/** Refuses a key that cannot travel in an {@code Authorization} header as it is. */
	public static void apiKey(@Nullable String key) {
		if (key == null) {
			return;
		}
		if (key.isBlank()) {
			throw new PhosphoOptionsException("apiKey", "must not be blank");
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c <= ' ' || c >= 0x7f) {
				// A line break from a key file, a space, a non-ASCII letter: the header would be refused.
				throw new PhosphoOptionsException("apiKey",
						"must be printable ASCII without spaces or line breaks; its value is not shown");
			}
		}
	}

	/** An http(s) URL with a host, and nothing the client would append paths after or send in clear. */
	public static void baseUrl(String url, @Nullable String key) {
		String shown = shown(url, key);
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException e) {
			throw notHttp(shown);
		}
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| uri.getRawAuthority() == null) {
			throw notHttp(shown);
		}
		if (uri.getRawUserInfo() != null) {
			throw new PhosphoOptionsException("baseUrl",
					"must not have user info (the key goes in apiKey), was '" + shown + "'", "apiKey");
		}
		if (uri.getHost() == null) {
			throw notHttp(shown);
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			// Paths are appended to the base URL: "/base?region=eu" would become "/base?region=eu/v2/log/p".
			throw new PhosphoOptionsException("baseUrl", "must not have a query or fragment: " + shown);
		}
		if (uri.getPort() == 0 || uri.getPort() > 65535) {
			throw new PhosphoOptionsException("baseUrl", "must have a port from 1 to 65535, was '" + shown + "'");
		}
	}

	private static PhosphoOptionsException notHttp(String shown) {
		return new PhosphoOptionsException("baseUrl", "must be an http or https URL, was '" + shown + "'");
	}

	/** Not blank when set: a blank value is a mistake, not an absence. */
	public static void notBlank(String name, @Nullable String value) {
		if (value != null && value.isBlank()) {
			throw new PhosphoOptionsException(name, "must not be blank, was '" + value + "'");
		}
	}

	/** {@code url} as a message may show it: user info masked, the key redacted. */
	public static String shown(String url, @Nullable String key) {
		String s = USER_INFO.matcher(url).replaceAll("//***@");
		return key != null && !key.isEmpty() && s.contains(key) ? s.replace(key, KeyRedactor.REDACTED) : s;
	}

	public static void strictlyPositive(String name, long value) {
		if (value <= 0) {
			throw new PhosphoOptionsException(name, "must be strictly positive, was " + value);
		}
	}

	public static void strictlyPositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new PhosphoOptionsException(name, "must be strictly positive, was " + value);
		}
	}

	public static void nonNegative(String name, Duration value) {
		if (value.isNegative()) {
			throw new PhosphoOptionsException(name, "must be non-negative, was " + value);
		}
	}

	/** A bound far from where {@code toNanos()} overflows (292 years), and from what a client can use. */
	public static void atMost(String name, Duration value, Duration limit) {
		if (value.compareTo(limit) > 0) {
			throw new PhosphoOptionsException(name, "must be at most " + limit + ", was " + value);
		}
	}

	public static void atMost(String name, long value, long limit) {
		if (value > limit) {
			throw new PhosphoOptionsException(name, "must be at most " + limit + ", was " + value);
		}
	}
}
