package ai.phospho.reactive.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * A JSON value already written as UTF-8 bytes (a stream's {@code raw_output}, see
 * {@link DeferredChunks}): sized exactly by {@link EventWriter#estimate} and copied as it is into an
 * event by {@link EventWriter#writeValue}, through Jackson's {@code writeRawValue}. Immutable.
 * Internal: not public API.
 */
public final class RawJson implements SerializableString {

	private final byte[] utf8;

	RawJson(byte[] utf8) {
		this.utf8 = utf8;
	}

	/** The length of the JSON in bytes. */
	public int length() {
		return utf8.length;
	}

	/** The JSON text. */
	@Override
	public String getValue() {
		return new String(utf8, StandardCharsets.UTF_8);
	}

	/** The value's plain form, read back from its JSON (see {@link Plain}). */
	Object plain() {
		Object p = Plain.of(utf8);
		return p == null ? getValue() : p;
	}

	@Override
	public int charLength() {
		return getValue().length();
	}

	@Override
	public char[] asQuotedChars() {
		return JsonStringEncoder.getInstance().quoteAsCharArray(getValue());
	}

	@Override
	public byte[] asUnquotedUTF8() {
		// Read only by the generators, which copy it.
		return utf8;
	}

	@Override
	public byte[] asQuotedUTF8() {
		return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
	}

	@Override
	public int appendQuotedUTF8(byte[] buffer, int offset) {
		return append(asQuotedUTF8(), buffer, offset);
	}

	@Override
	public int appendQuoted(char[] buffer, int offset) {
		char[] q = asQuotedChars();
		if (offset + q.length > buffer.length) {
			return -1;
		}
		System.arraycopy(q, 0, buffer, offset, q.length);
		return q.length;
	}

	@Override
	public int appendUnquotedUTF8(byte[] buffer, int offset) {
		return append(utf8, buffer, offset);
	}

	@Override
	public int appendUnquoted(char[] buffer, int offset) {
		String s = getValue();
		if (offset + s.length() > buffer.length) {
			return -1;
		}
		s.getChars(0, s.length(), buffer, offset);
		return s.length();
	}

	@Override
	public int writeQuotedUTF8(OutputStream out) throws IOException {
		byte[] q = asQuotedUTF8();
		out.write(q);
		return q.length;
	}

	@Override
	public int writeUnquotedUTF8(OutputStream out) throws IOException {
		out.write(utf8);
		return utf8.length;
	}

	@Override
	public int putQuotedUTF8(ByteBuffer buffer) {
		return put(asQuotedUTF8(), buffer);
	}

	@Override
	public int putUnquotedUTF8(ByteBuffer buffer) {
		return put(utf8, buffer);
	}

	private static int append(byte[] bytes, byte[] buffer, int offset) {
		if (offset + bytes.length > buffer.length) {
			return -1;
		}
		System.arraycopy(bytes, 0, buffer, offset, bytes.length);
		return bytes.length;
	}

	private static int put(byte[] bytes, ByteBuffer buffer) {
		if (bytes.length > buffer.remaining()) {
			return -1;
		}
		buffer.put(bytes);
		return bytes.length;
	}

	/** The JSON text, for debugging; never a key (a raw output holds no configuration). */
	@Override
	public String toString() {
		return getValue();
	}
}
