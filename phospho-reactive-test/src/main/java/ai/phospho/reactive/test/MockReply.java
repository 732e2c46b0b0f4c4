package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What {@link MockPhosphoServer} does with one request, queued with
 * {@link MockPhosphoServer#enqueue(MockReply...)}; requests beyond the queued replies get the
 * normal behaviour ({@link #ok()}). Immutable: each method returns a copy.
 *
 * <pre>{@code
 * server.enqueue(MockReply.status(503), MockReply.status(429).retryAfter("1"),
 *         MockReply.ok().rejectEvent(0, "quota reached"));
 * }</pre>
 */
public final class MockReply {

	enum Kind { RESPOND, CLOSE_BEFORE_RESPONSE, CLOSE_MID_RESPONSE }

	final Kind kind;
	/** 200: the normal checks and reply; anything else: that status, whatever the request. */
	final int status;
	final @Nullable String retryAfter;
	final @Nullable Duration delay;
	final Map<Integer, String> eventErrors;
	/** Filler characters before the echoed request headers in the error text; -1: no echo. */
	final int echoPadding;

	private MockReply(Kind kind, int status, @Nullable String retryAfter, @Nullable Duration delay,
			Map<Integer, String> eventErrors, int echoPadding) {
		this.kind = kind;
		this.status = status;
		this.retryAfter = retryAfter;
		this.delay = delay;
		this.eventErrors = eventErrors;
		this.echoPadding = echoPadding;
	}

	/** The normal behaviour: check the key and project, validate, store and reply {@code logged_events}. */
	public static MockReply ok() {
		return new MockReply(Kind.RESPOND, 200, null, null, Map.of(), -1);
	}

	/**
	 * Replies this status with a {@code {"detail": ...}} body and stores nothing. 200 means
	 * {@link #ok()}.
	 */
	public static MockReply status(int status) {
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("status must be an HTTP status (100-599), was " + status);
		}
		return new MockReply(Kind.RESPOND, status, null, null, Map.of(), -1);
	}

	/** Closes the connection without replying; nothing is stored. */
	public static MockReply closeBeforeResponse() {
		return new MockReply(Kind.CLOSE_BEFORE_RESPONSE, 200, null, null, Map.of(), -1);
	}

	/**
	 * Stores the events as {@link #ok()} does, then sends the status line, the headers and half of
	 * the body, and closes the connection: the client never learns that the batch was stored.
	 */
	public static MockReply closeMidResponse() {
		return new MockReply(Kind.CLOSE_MID_RESPONSE, 200, null, null, Map.of(), -1);
	}

	/** Adds a {@code Retry-After} header (delta seconds or an HTTP date). */
	public MockReply retryAfter(String value) {
		return new MockReply(kind, status, Objects.requireNonNull(value, "value"), delay, eventErrors, echoPadding);
	}

	/** Waits this long before replying (or closing); overrides {@link MockPhosphoServer#delay(Duration)}. */
	public MockReply delay(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must be non-negative, was " + delay);
		}
		return new MockReply(kind, status, retryAfter, delay, eventErrors, echoPadding);
	}

	/** Refuses the event at {@code index} of the batch with {@code {"error_in_log": reason}}; it is not stored. */
	public MockReply rejectEvent(int index, String reason) {
		Map<Integer, String> errors = new HashMap<>(eventErrors);
		errors.put(index, Objects.requireNonNull(reason, "reason"));
		return new MockReply(kind, status, retryAfter, delay, Collections.unmodifiableMap(errors), echoPadding);
	}

	/**
	 * Makes the error text of this reply (the {@code detail} of a status other than 200, the reason
	 * of each {@link #rejectEvent rejected event}) {@code padding} filler characters followed by every
	 * request header as {@code name: value}, one per line, {@code Authorization} included: as a
	 * debugging server or a proxy that echoes the request. The padding places the key where a
	 * client's cut of the text falls.
	 */
	public MockReply echoHeaders(int padding) {
		if (padding < 0) {
			throw new IllegalArgumentException("padding must be non-negative, was " + padding);
		}
		return new MockReply(kind, status, retryAfter, delay, eventErrors, padding);
	}

	@Override
	public String toString() {
		return "MockReply{" + kind + (kind == Kind.RESPOND ? " " + status : "")
				+ (retryAfter != null ? ", Retry-After: " + retryAfter : "")
				+ (delay != null ? ", delay " + delay : "")
				+ (eventErrors.isEmpty() ? "" : ", rejected " + eventErrors.keySet())
				+ (echoPadding >= 0 ? ", echoing headers after " + echoPadding + " chars" : "") + '}';
	}
}
