package ai.phospho.reactive.internal;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers: the per-process version id ({@code yyyyMMdd_adjective-animal}, as the Python SDK)
 * and {@code task_}/{@code session_} ids. Ids come from {@link ThreadLocalRandom}: they must be
 * unique, not secret, and {@code UUID.randomUUID()} may block on the entropy source.
 */
public final class Ids {

	private static final String[] ADJECTIVES = {"brave", "calm", "clever", "eager", "fancy", "gentle",
			"happy", "jolly", "kind", "lively", "nimble", "proud", "quick", "quiet", "shiny", "swift",
			"witty", "zesty", "bold", "bright"};
	private static final String[] ANIMALS = {"otter", "falcon", "panda", "koala", "lynx", "heron",
			"badger", "dolphin", "fox", "gecko", "ibis", "jaguar", "lemur", "marmot", "narwhal", "owl",
			"puffin", "quokka", "raccoon", "tapir"};
	/** The two hex digits of each byte value, as Latin-1 bytes: one lookup per byte of an id. */
	private static final byte[] HEX_PAIRS = new byte[512];

	static {
		byte[] hex = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
		for (int b = 0; b < 256; b++) {
			HEX_PAIRS[2 * b] = hex[b >>> 4];
			HEX_PAIRS[2 * b + 1] = hex[b & 0xF];
		}
	}

	private static final String PROCESS_VERSION_ID = newVersionId();

	private Ids() {
	}

	/** One id per process start, like the Python SDK's default {@code version_id}. */
	public static String processVersionId() {
		return PROCESS_VERSION_ID;
	}

	static String newVersionId() {
		ThreadLocalRandom r = ThreadLocalRandom.current();
		return LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + "_"
				+ ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + ANIMALS[r.nextInt(ANIMALS.length)];
	}

	/** {@code task_} followed by 32 hex digits. */
	public static String newTaskId() {
		return prefixedHex("task_");
	}

	/** {@code session_} followed by 32 hex digits. */
	public static String newSessionId() {
		return prefixedHex("session_");
	}

	private static String prefixedHex(String prefix) {
		ThreadLocalRandom r = ThreadLocalRandom.current();
		long hi = r.nextLong();
		long lo = r.nextLong();
		// Shaped as a version-4 UUID so that tools expecting one accept it.
		hi = (hi & ~0xF000L) | 0x4000L;
		lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		// Latin-1 bytes, not chars: this runs twice per logged task, on the caller's thread.
		byte[] out = new byte[prefix.length() + 32];
		for (int i = 0; i < prefix.length(); i++) {
			out[i] = (byte) prefix.charAt(i);
		}
		int p = hexPairs(hi, out, prefix.length());
		hexPairs(lo, out, p);
		return new String(out, StandardCharsets.ISO_8859_1);
	}

	private static int hexPairs(long v, byte[] out, int p) {
		for (int shift = 56; shift >= 0; shift -= 8) {
			int b = (int) (v >>> shift) & 0xFF;
			out[p++] = HEX_PAIRS[2 * b];
			out[p++] = HEX_PAIRS[2 * b + 1];
		}
		return p;
	}
}
