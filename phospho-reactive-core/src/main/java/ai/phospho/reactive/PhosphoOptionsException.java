package ai.phospho.reactive;

import java.util.List;
import java.util.Objects;

/**
 * A setting that a builder refused: {@link PhosphoOptionsBuilder#build()},
 * {@code PhosphoHttpExporter.Builder#build()} or {@code JsonLinesTaskExporter.Builder#build()}.
 * The message is {@code option + " " + reason} and shows the bad value, except an API key's; the
 * option's name is data, so that a configuration layer can name its own property for it.
 *
 * <pre>{@code
 * catch (PhosphoOptionsException e) {
 *     e.option();   // "maxQueueSize"
 *     e.reason();   // "must be strictly positive, was 0"
 * }
 * }</pre>
 */
public final class PhosphoOptionsException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String option;
	private final String reason;
	private final List<String> related;

	/**
	 * @param option  the builder method's name, e.g. {@code "lingerDelay"}
	 * @param reason  why, with the bad value, e.g. {@code "must be strictly positive, was PT0S"}
	 * @param related the other options the reason names, e.g. {@code "apiKey"} in
	 *                {@code "must be set when apiKey is set"}
	 */
	public PhosphoOptionsException(String option, String reason, String... related) {
		super(Objects.requireNonNull(option, "option") + " " + Objects.requireNonNull(reason, "reason"));
		this.option = option;
		this.reason = reason;
		this.related = List.of(related);
	}

	/** The refused option, as its builder method is named. */
	public String option() {
		return option;
	}

	/** The message without the option's name. */
	public String reason() {
		return reason;
	}

	/** The other options that {@link #reason()} names, as their builder methods are named. */
	public List<String> related() {
		return related;
	}
}
