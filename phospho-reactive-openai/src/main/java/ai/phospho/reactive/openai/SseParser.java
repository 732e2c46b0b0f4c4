package ai.phospho.reactive.openai;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A server-sent events parser (the WHATWG rules): {@code data:} lines of one event joined with
 * {@code \n}, one leading space of a value dropped, {@code :} comments and unknown fields ignored,
 * an event dispatched at a blank line. Input may be cut anywhere. One per stream.
 */
final class SseParser {

	/**
	 * One event; {@code event} is null for the default type {@code message}. {@code unterminated}: its
	 * last line had no line end, the input ended there (a connection cut in the middle of a line?).
	 */
	record Event(@Nullable String event, String data, @Nullable String id, boolean unterminated) {
	}

	private final LineSplitter lines;
	private final StringBuilder data = new StringBuilder();
	private boolean hasData;
	private @Nullable String event;
	private @Nullable String id;
	private List<Event> out = new ArrayList<>();
	private boolean unterminated;

	SseParser() {
		this(LineSplitter.DEFAULT_MAX_LINE_BYTES);
	}

	SseParser(int maxLineBytes) {
		this.lines = new LineSplitter(maxLineBytes);
	}

	/** The events completed by these bytes, in order. */
	List<Event> feed(byte[] bytes) {
		lines.feed(bytes, this::line);
		return drain();
	}

	/**
	 * The end of the input. A last event whose blank line never came is dispatched too (the
	 * standard drops it; servers that omit the final blank line are common enough).
	 */
	List<Event> finish() {
		unterminated = lines.finish(this::line);
		dispatch();
		return drain();
	}

	private List<Event> drain() {
		if (out.isEmpty()) {
			return List.of();
		}
		List<Event> events = out;
		out = new ArrayList<>();
		return events;
	}

	private void line(String line) {
		if (line.isEmpty()) {
			dispatch();
			return;
		}
		if (line.charAt(0) == ':') {
			return;
		}
		int colon = line.indexOf(':');
		String field = colon < 0 ? line : line.substring(0, colon);
		String value = "";
		if (colon >= 0) {
			int from = colon + 1;
			if (from < line.length() && line.charAt(from) == ' ') {
				from++;
			}
			value = line.substring(from);
		}
		switch (field) {
			case "data" -> {
				if (hasData) {
					data.append('\n');
				}
				data.append(value);
				hasData = true;
			}
			case "event" -> event = value;
			case "id" -> {
				if (value.indexOf('\0') < 0) {
					id = value;
				}
			}
			default -> {
				// "retry" and unknown fields do not concern a client that does not reconnect.
			}
		}
	}

	private void dispatch() {
		if (hasData) {
			out.add(new Event(event, data.toString(), id, unterminated));
		}
		data.setLength(0);
		hasData = false;
		event = null;
	}
}
