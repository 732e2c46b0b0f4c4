package ai.phospho.reactive.openai.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One response {@link MockOpenAiServer} sends: a status, headers, a body, and how the body is
 * paced: at once, one event (or NDJSON line) at a time, or one byte at a time. Immutable.
 */
public final class Replay {

	enum Pacing { WHOLE, PER_EVENT, PER_BYTE }

	final int status;
	final Map<String, String> headers;
	final byte[] body;
	final Pacing pacing;
	final Duration delay;

	private Replay(int status, Map<String, String> headers, byte[] body, Pacing pacing, Duration delay) {
		this.status = status;
		this.headers = headers;
		this.body = body;
		this.pacing = pacing;
		this.delay = delay;
	}

	/** The recording, sent at once, with an {@code x-request-id}. */
	public static Replay of(Recording recording) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("content-type", recording.contentType());
		headers.put("x-request-id", "req_" + Integer.toHexString(recording.name().hashCode()));
		headers.putAll(recording.headers());
		return new Replay(recording.status(), Map.copyOf(headers), recording.body(), Pacing.WHOLE, Duration.ZERO);
	}

	/** Any body. */
	public static Replay of(int status, String contentType, String body) {
		return new Replay(status, Map.of("content-type", Objects.requireNonNull(contentType, "contentType")),
				body.getBytes(StandardCharsets.UTF_8), Pacing.WHOLE, Duration.ZERO);
	}

	/** Any body, such as a generated one. */
	public static Replay of(int status, String contentType, byte[] body) {
		return new Replay(status, Map.of("content-type", Objects.requireNonNull(contentType, "contentType")),
				body.clone(), Pacing.WHOLE, Duration.ZERO);
	}

	/** Sends each event (up to and including its blank line) or NDJSON line as its own write, {@code delay} apart. */
	public Replay perEvent(Duration delay) {
		return new Replay(status, headers, body, Pacing.PER_EVENT, requirePositiveOrZero(delay));
	}

	/** Sends one byte per write, {@code delay} apart: every possible split of the body across reads. */
	public Replay trickle(Duration delay) {
		return new Replay(status, headers, body, Pacing.PER_BYTE, requirePositiveOrZero(delay));
	}

	/** The body, exactly as sent. */
	public byte[] body() {
		return body.clone();
	}

	/** The pieces the body is written in, in order. */
	List<byte[]> pieces() {
		List<byte[]> out = new ArrayList<>();
		switch (pacing) {
			case WHOLE -> out.add(body);
			case PER_BYTE -> {
				for (byte b : body) {
					out.add(new byte[] { b });
				}
			}
			case PER_EVENT -> {
				int start = 0;
				for (int i = 0; i < body.length; i++) {
					boolean ndjsonEnd = body[i] == '\n' && !isSse();
					boolean sseEnd = isSse() && body[i] == '\n' && i > 0
							&& (body[i - 1] == '\n' || (body[i - 1] == '\r' && i >= 2 && body[i - 2] == '\n'));
					if (ndjsonEnd || sseEnd) {
						out.add(Arrays.copyOfRange(body, start, i + 1));
						start = i + 1;
					}
				}
				if (start < body.length) {
					out.add(Arrays.copyOfRange(body, start, body.length));
				}
			}
		}
		return out;
	}

	private boolean isSse() {
		return headers.getOrDefault("content-type", "").startsWith("text/event-stream");
	}

	private static Duration requirePositiveOrZero(Duration d) {
		if (Objects.requireNonNull(d, "delay").isNegative()) {
			throw new IllegalArgumentException("delay must not be negative: " + d);
		}
		return d;
	}

	@Override
	public String toString() {
		return "Replay{status=" + status + ", bytes=" + body.length + ", pacing=" + pacing + ", delay=" + delay + '}';
	}
}
