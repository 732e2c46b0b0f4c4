package ai.phospho.reactive.internal;

/**
 * The sampling decision of {@code sampleRate}: a session is kept when a stable 64-bit hash of its
 * {@code session_id}, read as a fraction of 2^64, is below the rate. Stable across JVMs and
 * releases (it depends on the id's characters only), so every task of a session shares the
 * decision, whichever instance logs it. Allocation-free; on the caller's path, before extraction.
 * Internal: not public API.
 */
public final class Sampler {

	/** Keeps everything, without hashing. */
	public static final Sampler ALL = new Sampler(1.0);

	private final boolean all;
	private final boolean none;
	/** The rate scaled to the unsigned 64-bit range, compared with {@link Long#compareUnsigned}. */
	private final long threshold;

	private Sampler(double rate) {
		this.all = rate >= 1.0;
		this.none = rate <= 0.0;
		// 2^64 * rate, as an unsigned long: the upper 53 bits are exact, which is all a double holds.
		this.threshold = all || none ? 0 : (long) (rate * 0x1.0p63) << 1;
	}

	public static Sampler of(double rate) {
		return rate >= 1.0 ? ALL : new Sampler(rate);
	}

	/** Whether the tasks of this session are kept. */
	public boolean keeps(String sessionId) {
		if (all) {
			return true;
		}
		if (none) {
			return false;
		}
		return Long.compareUnsigned(hash(sessionId), threshold) < 0;
	}

	/** Whether every session is kept: callers then skip the decision's inputs altogether. */
	public boolean keepsAll() {
		return all;
	}

	/** FNV-1a over the UTF-16 units, then MurmurHash3's finaliser: ids that differ by one character spread over the range. */
	static long hash(String s) {
		long h = 0xcbf29ce484222325L;
		for (int i = 0; i < s.length(); i++) {
			h ^= s.charAt(i);
			h *= 0x100000001b3L;
		}
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		h ^= h >>> 33;
		return h;
	}
}
