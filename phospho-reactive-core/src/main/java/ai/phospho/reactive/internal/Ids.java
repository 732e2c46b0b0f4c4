package ai.phospho.reactive.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
	/** Eight bytes at a time, the first in the high byte: the hex digits are written as longs. */
	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
	private static final byte[] TASK = "task_".getBytes(StandardCharsets.US_ASCII);
	private static final byte[] SESSION = "session_".getBytes(StandardCharsets.US_ASCII);

	/** The length of every {@link #taskId(long, long)}: {@code task_} and 32 hex digits. */
	public static final int TASK_ID_LENGTH = 5 + 32;
	/** The length of every {@link #sessionId(long, long)}: {@code session_} and 32 hex digits. */
	public static final int SESSION_ID_LENGTH = 8 + 32;

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
		ThreadLocalRandom r = ThreadLocalRandom.current();
		return taskId(r.nextLong(), r.nextLong());
	}

	/** {@code session_} followed by 32 hex digits. */
	public static String newSessionId() {
		ThreadLocalRandom r = ThreadLocalRandom.current();
		return sessionId(r.nextLong(), r.nextLong());
	}

	/** The task id of these 128 random bits (of which the UUID version and variant bits are replaced). */
	public static String taskId(long hi, long lo) {
		return prefixedHex(TASK, hi, lo);
	}

	/** The session id of these 128 random bits, as {@link #taskId(long, long)}. */
	public static String sessionId(long hi, long lo) {
		return prefixedHex(SESSION, hi, lo);
	}

	private static String prefixedHex(byte[] prefix, long randomHi, long randomLo) {
		byte[] out = new byte[prefix.length + 32];
		prefixedHex(prefix, randomHi, randomLo, out);
		return new String(out, StandardCharsets.ISO_8859_1);
	}

	/**
	 * The bytes of {@link #taskId(long, long)} written into {@code out} from its start, without the
	 * string: for an event writer that needs them once.
	 *
	 * @return their count, {@link #TASK_ID_LENGTH}
	 */
	public static int taskId(long hi, long lo, byte[] out) {
		return prefixedHex(TASK, hi, lo, out);
	}

	/** The bytes of {@link #sessionId(long, long)}, as {@link #taskId(long, long, byte[])}. */
	public static int sessionId(long hi, long lo, byte[] out) {
		return prefixedHex(SESSION, hi, lo, out);
	}

	private static int prefixedHex(byte[] prefix, long randomHi, long randomLo, byte[] out) {
		// Shaped as a version-4 UUID so that tools expecting one accept it.
		long hi = (randomHi & ~0xF000L) | 0x4000L;
		long lo = (randomLo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		// Latin-1 bytes, eight digits per write: this runs twice per logged task.
		int n = prefix.length;
		System.arraycopy(prefix, 0, out, 0, n);
		LONGS.set(out, n, hex8(hi >>> 32));
		LONGS.set(out, n + 8, hex8(hi));
		LONGS.set(out, n + 16, hex8(lo >>> 32));
		LONGS.set(out, n + 24, hex8(lo));
		return n + 32;
	}

	/**
	 * The 8 lowercase hex digits of the low 32 bits of {@code v} as ASCII bytes in a long, the first
	 * digit in the high byte: each nibble spread into a byte of its own, then {@code '0' + d}, plus
	 * {@code 'a' - '0' - 10} for the digits above 9, without a branch or a table.
	 */
	static long hex8(long v) {
		long x = v & 0xFFFFFFFFL;
		x = ((x & 0xFFFF0000L) << 16) | (x & 0xFFFFL);
		x = ((x & 0x0000FF000000FF00L) << 8) | (x & 0x000000FF000000FFL);
		x = ((x & 0x00F000F000F000F0L) << 4) | (x & 0x000F000F000F000FL);
		// 0x06 added to a digit above 9 carries into bit 4 of its byte.
		long above9 = ((x + 0x0606060606060606L) >>> 4) & 0x0101010101010101L;
		return x + 0x3030303030303030L + above9 * ('a' - '0' - 10);
	}
}
