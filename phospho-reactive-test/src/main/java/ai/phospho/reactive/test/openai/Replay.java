package ai.phospho.reactive.test.openai;

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

	enum Pacing { WHOLE, PER_EVENT, PER_BYTE, RANDOM }

	/** The largest piece of {@link #inPieces}. */
	public static final int MAX_PIECE = 64;

	final int status;
	final Map<String, String> headers;
	final byte[] body;
	final Pacing pacing;
	final Duration delay;
	final long seed;
	/** Bytes sent before the connection is closed, or -1 to send the body whole. */
	final int cutAfter;

	private Replay(int status, Map<String, String> headers, byte[] body, Pacing pacing, Duration delay, long seed,
			int cutAfter) {
		this.status = status;
		this.headers = headers;
		this.body = body;
		this.pacing = pacing;
		this.delay = delay;
		this.seed = seed;
		this.cutAfter = cutAfter;
	}

	private Replay(int status, Map<String, String> headers, byte[] body, Pacing pacing, Duration delay) {
		this(status, headers, body, pacing, delay, 0, -1);
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

	/**
	 * Sends the body in pieces of 1 to {@value #MAX_PIECE} bytes, sizes drawn from {@code seed}: lines,
	 * CRLFs and UTF-8 characters are split across reads as a network may split them.
	 */
	public Replay inPieces(long seed) {
		return new Replay(status, headers, body, Pacing.RANDOM, delay, seed, cutAfter);
	}

	/**
	 * Sends the first {@code bytes} bytes of the body (with the pacing chosen), then closes the
	 * connection: a connection lost in the middle of the response.
	 */
	public Replay cutAfter(int bytes) {
		if (bytes < 0 || bytes > body.length) {
			throw new IllegalArgumentException("bytes must be between 0 and " + body.length + ", was " + bytes);
		}
		return new Replay(status, headers, body, pacing, delay, seed, bytes);
	}

	/** The body, exactly as sent. */
	public byte[] body() {
		return body.clone();
	}

	/** The pieces the body is written in, in order. */
	List<byte[]> pieces() {
		List<byte[]> out = new ArrayList<>();
		byte[] body = cutAfter < 0 ? this.body : Arrays.copyOf(this.body, cutAfter);
		switch (pacing) {
			case RANDOM -> {
				java.util.Random random = new java.util.Random(seed);
				for (int i = 0; i < body.length;) {
					int n = Math.min(body.length - i, 1 + random.nextInt(MAX_PIECE));
					out.add(Arrays.copyOfRange(body, i, i + n));
					i += n;
				}
			}
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
		return "Replay{status=" + status + ", bytes=" + body.length + ", pacing=" + pacing + ", delay=" + delay
				+ (pacing == Pacing.RANDOM ? ", seed=" + seed : "") + (cutAfter < 0 ? "" : ", cutAfter=" + cutAfter) + '}';
	}
}
