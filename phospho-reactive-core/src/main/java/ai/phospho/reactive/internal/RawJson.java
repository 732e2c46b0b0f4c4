package ai.phospho.reactive.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.ObjectNode;

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

	/**
	 * The value's plain form, read back from its JSON (see {@link Plain}): each element of the
	 * array as the plain copy of a chunk is, at the depth of a chunk (not one level deeper, past
	 * {@link Plain#MAX_DEPTH} for a chunk at it), and without the parser's limits on the length of
	 * a number, a string or a name, which the JSON was not written under.
	 */
	Object plain() {
		JsonNode tree;
		try {
			tree = Reader.MAPPER.readTree(utf8);
		}
		catch (JacksonException e) {
			return getValue();
		}
		exactNumbers(tree);
		if (tree != null && tree.isArray()) {
			List<@Nullable Object> out = new ArrayList<>(tree.size());
			for (JsonNode element : tree) {
				out.add(Plain.of(element));
			}
			return Collections.unmodifiableList(out);
		}
		Object p = Plain.of(tree);
		return p == null ? getValue() : p;
	}

	/**
	 * Decimals are read as {@code BigDecimal}s, so that none loses digits; one that a {@code double}
	 * writes the same way (what a {@code Double} was written as) is made a {@code double} again.
	 */
	private static void exactNumbers(@Nullable JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> e : object.properties()) {
				if (e.getValue() instanceof DecimalNode d) {
					e.setValue(decimal(d));
				}
				else {
					exactNumbers(e.getValue());
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				if (array.get(i) instanceof DecimalNode d) {
					array.set(i, decimal(d));
				}
				else {
					exactNumbers(array.get(i));
				}
			}
		}
	}

	private static JsonNode decimal(DecimalNode node) {
		BigDecimal v = node.decimalValue();
		double d = v.doubleValue();
		if (Double.isFinite(d) && new BigDecimal(Double.toString(d)).equals(v)) {
			return DoubleNode.valueOf(d);
		}
		return node;
	}

	/** A mapper that reads back what was written, whatever its size, decimals without loss. */
	private static final class Reader {
		static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
				.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
						.maxNumberLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE)
						.maxNameLength(Integer.MAX_VALUE).build())
				.build())
				.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
				.build();
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
