package ai.phospho.reactive.otel;

import org.jspecify.annotations.Nullable;

/** Message content in the GenAI conventions' JSON form, each text cut to the configured length. */
final class Content {

	private Content() {
	}

	/** {@code [{"role":..,"parts":[{"type":"text","content":..}],"finish_reason":..}]}. */
	static String messages(String role, String text, @Nullable String finishReason, int maxChars) {
		StringBuilder b = new StringBuilder(Math.min(text.length(), maxChars) + 64);
		b.append("[{\"role\":");
		quote(b, role);
		b.append(",\"parts\":");
		b.append(parts(text, maxChars));
		if (finishReason != null) {
			b.append(",\"finish_reason\":");
			quote(b, finishReason);
		}
		return b.append("}]").toString();
	}

	/** {@code [{"type":"text","content":..}]}. */
	static String parts(String text, int maxChars) {
		StringBuilder b = new StringBuilder(Math.min(text.length(), maxChars) + 32);
		b.append("[{\"type\":\"text\",\"content\":");
		quote(b, cut(text, maxChars));
		return b.append("}]").toString();
	}

	/** The first {@code maxChars} chars, never splitting a surrogate pair. */
	static String cut(String s, int maxChars) {
		if (s.length() <= maxChars) {
			return s;
		}
		int end = Character.isHighSurrogate(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
		return s.substring(0, end);
	}

	private static void quote(StringBuilder b, String s) {
		b.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> b.append("\\\"");
				case '\\' -> b.append("\\\\");
				case '\n' -> b.append("\\n");
				case '\r' -> b.append("\\r");
				case '\t' -> b.append("\\t");
				default -> {
					if (c < 0x20) {
						b.append(String.format("\\u%04x", (int) c));
					}
					else {
						b.append(c);
					}
				}
			}
		}
		b.append('"');
	}
}
