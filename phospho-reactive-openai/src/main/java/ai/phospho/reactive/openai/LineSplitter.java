package ai.phospho.reactive.openai;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits bytes that arrive in arbitrary pieces into UTF-8 lines ended by LF, CRLF or CR: a
 * line, a CRLF or a multi-byte character may be cut across two network reads. One per stream,
 * on one thread at a time.
 */
final class LineSplitter {

	/** Longest line kept; a longer one fails the stream rather than growing without bound. */
	static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

	private final int maxLineBytes;
	private byte[] buf = new byte[512];
	private int len;
	private boolean afterCr;

	LineSplitter(int maxLineBytes) {
		this.maxLineBytes = maxLineBytes;
	}

	/** Feeds bytes; each completed line goes to {@code lines}, without its terminator. */
	void feed(byte[] bytes, Consumer<String> lines) {
		int start = 0;
		for (int i = 0; i < bytes.length; i++) {
			byte b = bytes[i];
			if (afterCr) {
				afterCr = false;
				if (b == '\n') {
					start = i + 1;
					continue;
				}
			}
			if (b == '\n' || b == '\r') {
				append(bytes, start, i);
				lines.accept(new String(buf, 0, len, StandardCharsets.UTF_8));
				len = 0;
				afterCr = b == '\r';
				start = i + 1;
			}
		}
		append(bytes, start, bytes.length);
	}

	/**
	 * Ends the input: a last line without terminator is delivered.
	 *
	 * @return whether there was one: the input may have been cut in the middle of a line
	 */
	boolean finish(Consumer<String> lines) {
		if (len > 0) {
			lines.accept(new String(buf, 0, len, StandardCharsets.UTF_8));
			len = 0;
			return true;
		}
		return false;
	}

	private void append(byte[] bytes, int from, int to) {
		int n = to - from;
		if (n <= 0) {
			return;
		}
		if (len + n > maxLineBytes) {
			throw new IllegalStateException("a line of the stream is longer than " + maxLineBytes + " bytes");
		}
		if (len + n > buf.length) {
			buf = Arrays.copyOf(buf, Math.min(maxLineBytes, Math.max(buf.length * 2, len + n)));
		}
		System.arraycopy(bytes, from, buf, len, n);
		len += n;
	}
}
