package ai.phospho.reactive.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers: the per-process version id ({@code yyyyMMdd_adjective-animal}, as the Python SDK)
 * and {@code task_}/{@code session_} ids. Ids come from {@link ThreadLocalRandom}: they must be
 * unique, not secret, and {@code UUID.randomUUID()} may block on the entropy source.
 */
public final class VersionIds {

	private static final String[] ADJECTIVES = {"brave", "calm", "clever", "eager", "fancy", "gentle",
			"happy", "jolly", "kind", "lively", "nimble", "proud", "quick", "quiet", "shiny", "swift",
			"witty", "zesty", "bold", "bright"};
	private static final String[] ANIMALS = {"otter", "falcon", "panda", "koala", "lynx", "heron",
			"badger", "dolphin", "fox", "gecko", "ibis", "jaguar", "lemur", "marmot", "narwhal", "owl",
			"puffin", "quokka", "raccoon", "tapir"};
	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private static final String PROCESS_VERSION_ID = newVersionId();

	private VersionIds() {
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
		char[] out = new char[prefix.length() + 32];
		prefix.getChars(0, prefix.length(), out, 0);
		int p = prefix.length();
		for (int shift = 60; shift >= 0; shift -= 4) {
			out[p++] = HEX[(int) (hi >>> shift) & 0xF];
		}
		for (int shift = 60; shift >= 0; shift -= 4) {
			out[p++] = HEX[(int) (lo >>> shift) & 0xF];
		}
		return new String(out);
	}
}
