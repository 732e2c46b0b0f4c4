package ai.phospho.reactive.export;

import java.nio.charset.StandardCharsets;

/**
 * Finds an ASCII key in bytes by looking at one pair of bytes in every {@code key.length() - 1}: the
 * pair that ends a window of the key's length. A pair that is not one of the key's own pairs rules out
 * every start in that window, so a search through text that does not hold the key reads about one byte
 * pair in thirteen for a key of fourteen bytes (Wu and Manber's q-gram shift, with q = 2). A pair that is
 * one of the key's names the only start it can belong to, since no pair occurs twice in the key; that
 * start is then compared byte by byte.
 *
 * <p>Why not {@code String.indexOf} over the bytes read as ISO-8859-1 (before): it copies the reply into a
 * string first, and its intrinsic compares the whole key at every 16 bytes, about 3 GB/s on this project's
 * machine against 20 GB/s here, on a 471 KB reply echoing 512 events (profiles.md, section 15). Every
 * reply of the phospho API echoes its batch, so the search reads as many bytes as the export writes.
 *
 * <p>A byte sequence of UTF-8 matches an ASCII key only where the text holds the key: no byte of a
 * multi-byte character is below 0x80. Indexes count bytes. Immutable and thread-safe.
 */
final class KeySearch {

	private final byte[] key;
	/** For each pair of bytes (first byte low): 1 + where it starts in the key, or 0 if the key has no such pair. */
	private final byte[] pairs = new byte[1 << 16];

	/**
	 * @throws IllegalArgumentException if {@code key} is not ASCII, shorter than 3 or longer than 127
	 * characters, or holds a pair of characters twice
	 */
	KeySearch(String key) {
		if (key.length() < 3 || key.length() > Byte.MAX_VALUE || !StandardCharsets.US_ASCII.newEncoder().canEncode(key)) {
			throw new IllegalArgumentException("key must be 3 to 127 ASCII characters, got \"" + key + '"');
		}
		this.key = key.getBytes(StandardCharsets.US_ASCII);
		for (int j = 0; j + 1 < this.key.length; j++) {
			int pair = pair(this.key, j);
			if (pairs[pair] != 0) {
				throw new IllegalArgumentException("key must not hold a pair of characters twice, got \"" + key + '"');
			}
			pairs[pair] = (byte) (j + 1);
		}
	}

	/** The first index of the key in {@code bytes}, or -1. */
	int indexOf(byte[] bytes) {
		int m = key.length;
		int last = bytes.length - m;
		// Window i covers the starts i .. i + m - 2; its last pair, at p, lies inside every key starting there.
		for (int i = 0; i <= last; i += m - 1) {
			int p = i + m - 2;
			int at = pairs[pair(bytes, p)];
			// The only start of this window the key can have: any other would put another of its pairs at p.
			if (at != 0) {
				int start = p - (at - 1);
				if (start <= last && matches(bytes, start)) {
					return start;
				}
			}
		}
		return -1;
	}

	private boolean matches(byte[] bytes, int start) {
		for (int j = 0; j < key.length; j++) {
			if (bytes[start + j] != key[j]) {
				return false;
			}
		}
		return true;
	}

	private static int pair(byte[] bytes, int at) {
		return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
	}

	@Override
	public String toString() {
		return "KeySearch{" + new String(key, StandardCharsets.US_ASCII) + '}';
	}
}
