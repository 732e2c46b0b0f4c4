package ai.phospho.reactive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A test SPI extractor (registered in the test resources) that writes its types as JSON
 * ({@link PhosphoExtractor#writeJson}), rightly for {@link Good} and wrongly for the others, whose
 * {@code toPlain} is the form expected in the event. It returns null and false for everything else.
 */
public final class WritingTestExtractor implements PhosphoExtractor {

	/** Written as its plain form would be. */
	public record Good(String text, long n) {
	}

	/** Written as two JSON values. */
	public record TwoValues(String text) {
	}

	/** Said to be written, nothing written. */
	public record Nothing(String text) {
	}

	/** Written, and said not to be. */
	public record Liar(String text) {
	}

	/** Throws half-way through. */
	public record Throws(String text) {
	}

	/** Writes a string of {@code chars} characters, a kilobyte at a time. */
	public record Huge(long chars) {
	}

	/** Written as a string in bytes that are not UTF-8 (an overlong NUL, a surrogate in CESU-8). */
	public record NotUtf8(String text) {
	}

	/** Written rightly, and the stream kept: {@link WritesLater} writes to it afterwards. */
	public record Keeps(String text) {
	}

	/** Not written; its {@code toPlain} writes garbage to the stream {@link Keeps} kept. */
	public record WritesLater(String text) {
	}

	private static volatile @Nullable OutputStream kept;

	/** Written as a pretty printer writes it: on several lines. */
	public record Pretty(String text) {
	}

	/** Not written, converted by {@code toPlain}, which counts its calls in {@link #CONVERTED_ONLY_CALLS}. */
	public record ConvertedOnly(String text) {
	}

	public static final AtomicLong CONVERTED_ONLY_CALLS = new AtomicLong();

	/** What {@link Huge} chunks got to write in all, bytes the buffer refused included. */
	public static final AtomicLong HUGE_ATTEMPTED = new AtomicLong();

	@Override
	public @Nullable Object toPlain(Object value) {
		if (value instanceof Good g) {
			return Map.of("text", g.text(), "n", g.n());
		}
		if (value instanceof TwoValues t) {
			return Map.of("two", t.text());
		}
		if (value instanceof Nothing t) {
			return Map.of("nothing", t.text());
		}
		if (value instanceof Liar t) {
			return Map.of("liar", t.text());
		}
		if (value instanceof Throws t) {
			return Map.of("throws", t.text());
		}
		if (value instanceof NotUtf8 t) {
			return Map.of("text", t.text());
		}
		if (value instanceof Pretty t) {
			return Map.of("text", t.text());
		}
		if (value instanceof ConvertedOnly t) {
			CONVERTED_ONLY_CALLS.incrementAndGet();
			return Map.of("text", t.text());
		}
		if (value instanceof Keeps t) {
			return Map.of("text", t.text());
		}
		if (value instanceof WritesLater t) {
			OutputStream o = kept;
			if (o != null) {
				try {
					o.write("garbage".getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException | RuntimeException e) {
					// refused
				}
			}
			return Map.of("text", t.text());
		}
		if (value instanceof Huge h) {
			return "x".repeat((int) Math.min(h.chars(), 10_000_000));
		}
		return null;
	}

	@Override
	public boolean writeJson(Object value, OutputStream out) throws IOException {
		if (value instanceof Good g) {
			// Map.of has no order: written in the order its plain form iterates.
			StringBuilder sb = new StringBuilder("{");
			Map<?, ?> plain = (Map<?, ?>) toPlain(g);
			for (Map.Entry<?, ?> e : plain.entrySet()) {
				if (sb.length() > 1) {
					sb.append(',');
				}
				sb.append('"').append(e.getKey()).append("\":");
				sb.append(e.getValue() instanceof String s ? "\"" + s + "\"" : String.valueOf(e.getValue()));
			}
			out.write(sb.append('}').toString().getBytes(StandardCharsets.UTF_8));
			return true;
		}
		if (value instanceof TwoValues) {
			out.write("{\"a\":1}{\"b\":2}".getBytes(StandardCharsets.UTF_8));
			return true;
		}
		if (value instanceof Nothing) {
			return true;
		}
		if (value instanceof Liar) {
			out.write("{\"lie\":1}".getBytes(StandardCharsets.UTF_8));
			return false;
		}
		if (value instanceof Throws) {
			out.write("{\"half\":".getBytes(StandardCharsets.UTF_8));
			throw new IllegalStateException("extractor bug");
		}
		if (value instanceof NotUtf8) {
			out.write(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC0, (byte) 0x80, (byte) 0xED,
					(byte) 0xA0, (byte) 0x80, '"', '}'});
			return true;
		}
		if (value instanceof Pretty t) {
			out.write(("{\n  \"text\" : \"" + t.text() + "\"\r\n}").getBytes(StandardCharsets.UTF_8));
			return true;
		}
		if (value instanceof Keeps t) {
			kept = out;
			out.write(("{\"text\":\"" + t.text() + "\"}").getBytes(StandardCharsets.UTF_8));
			return true;
		}
		if (value instanceof Huge h) {
			byte[] kb = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
			out.write('"');
			for (long i = 0; i < h.chars(); i += kb.length) {
				HUGE_ATTEMPTED.addAndGet(kb.length);
				out.write(kb);
			}
			out.write('"');
			return true;
		}
		return false;
	}

	/** It gives no chunk text nor stop: asked about no chunk, so that {@link TypedChunkExtractor} is alone on its classes. */
	@Override
	public boolean readsChunksOf(Class<?> type) {
		return false;
	}
}
