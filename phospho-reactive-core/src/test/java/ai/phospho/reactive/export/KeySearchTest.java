package ai.phospho.reactive.export;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The reply search against a search written here byte by byte, on UTF-8 replies with multi-byte
 * characters around and inside near-copies of the key: the index is in bytes, and it is the first one.
 */
class KeySearchTest {

	private static final String KEY = "\"error_in_log\"";
	private static final byte[] K = KEY.getBytes(StandardCharsets.US_ASCII);

	@Test
	void findsTheFirstIndexWhereABytewiseSearchDoes() {
		KeySearch search = PhosphoHttpExporter.ERROR_KEY;
		Random random = new Random(18);
		String[] alphabet = {"\"", "e", "r", "o", "_", "i", "n", "l", "g", "{", "}", ":", ",", " ", "é", "中", "😀",
			"\u00ff", "\"error_in_lo", "rror_in_log\"", "\"error_in_log", "_in_", "og\"", "\"e"};
		for (int n = 0; n < 50_000; n++) {
			StringBuilder sb = new StringBuilder();
			int len = random.nextInt(n % 10 == 0 ? 400 : 40);
			for (int i = 0; i < len; i++) {
				sb.append(alphabet[random.nextInt(alphabet.length)]);
			}
			for (int keys = random.nextInt(3); keys > 0; keys--) {
				if (random.nextBoolean()) {
					sb.insert(random.nextInt(sb.length() + 1), KEY);
				}
			}
			byte[] reply = sb.toString().getBytes(StandardCharsets.UTF_8);
			assertThat(search.indexOf(reply)).as(sb.toString()).isEqualTo(bytewise(reply));
		}
	}

	/** The key at every offset of replies of every length up to 200, in bytes of every value. */
	@Test
	void findsTheKeyAtEveryOffsetIncludingBothEnds() {
		KeySearch search = PhosphoHttpExporter.ERROR_KEY;
		Random random = new Random(7);
		for (int len = 0; len <= 200; len++) {
			byte[] noise = new byte[len];
			random.nextBytes(noise);
			assertThat(search.indexOf(noise)).isEqualTo(bytewise(noise));
			for (int at = 0; at + K.length <= len; at++) {
				byte[] reply = noise.clone();
				System.arraycopy(K, 0, reply, at, K.length);
				assertThat(search.indexOf(reply)).as("len %d, key at %d", len, at).isEqualTo(bytewise(reply));
			}
		}
	}

	@Test
	void edgeCases() {
		KeySearch search = PhosphoHttpExporter.ERROR_KEY;
		assertThat(search.indexOf(new byte[0])).isEqualTo(-1);
		assertThat(search.indexOf(K)).isZero();
		assertThat(search.indexOf("\"error_in_log".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
		assertThat(search.indexOf("error_in_log\"".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
		assertThat(search.indexOf("\"error_in_log\"\"error_in_log\"".getBytes(StandardCharsets.US_ASCII))).isZero();
		// Bytes past 0x7f (a multi-byte character's) match nothing of the key; the index counts bytes.
		assertThat(search.indexOf("\u00e9\u00ff\"error_in_log\"".getBytes(StandardCharsets.UTF_8))).isEqualTo(4);
		// The key's bytes with their high bit set (0x80 | byte) are not the key.
		byte[] high = K.clone();
		for (int i = 0; i < high.length; i++) {
			high[i] |= (byte) 0x80;
		}
		assertThat(search.indexOf(high)).isEqualTo(-1);
	}

	@Test
	void refusesAKeyItCannotSearch() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KeySearch("ab")).withMessageContaining("\"ab\"");
		assertThatIllegalArgumentException().isThrownBy(() -> new KeySearch("clé")).withMessageContaining("\"clé\"");
		assertThatIllegalArgumentException().isThrownBy(() -> new KeySearch("x".repeat(128)))
				.withMessageContaining("3 to 127");
		assertThatIllegalArgumentException().isThrownBy(() -> new KeySearch("abcab"))
				.withMessageContaining("pair of characters twice");
		assertThat(new KeySearch("abc").indexOf("xxabc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
	}

	private static int bytewise(byte[] bytes) {
		outer:
		for (int i = 0; i + K.length <= bytes.length; i++) {
			for (int j = 0; j < K.length; j++) {
				if (bytes[i + j] != K[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}
}
