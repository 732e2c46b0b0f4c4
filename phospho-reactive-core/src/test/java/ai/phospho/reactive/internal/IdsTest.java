package ai.phospho.reactive.internal;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

	@Test
	void idsArePrefixedUuidHex() {
		assertThat(Ids.newTaskId()).matches("task_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
		assertThat(Ids.newSessionId()).matches("session_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
		// The estimate sizes a made id by these lengths, without its text.
		assertThat(Ids.taskId(-1L, 0L)).hasSize(Ids.TASK_ID_LENGTH);
		assertThat(Ids.sessionId(0L, -1L)).hasSize(Ids.SESSION_ID_LENGTH);
	}

	@Test
	void eightHexDigitsAreThoseOfStringFormat() {
		long[] edges = {0, 1, 9, 10, 15, 16, 0x9999_9999L, 0xAAAA_AAAAL, 0xFFFF_FFFFL, 0x1234_5678L, 0x9ABC_DEF0L,
			-1L, Long.MIN_VALUE, 0xFFFF_FFFF_0000_0000L};
		for (long v : edges) {
			assertThat(hex8(v)).as("%x", v).isEqualTo(String.format("%08x", v & 0xFFFF_FFFFL));
		}
		java.util.SplittableRandom r = new java.util.SplittableRandom(18);
		for (int i = 0; i < 100_000; i++) {
			long v = r.nextLong();
			assertThat(hex8(v)).isEqualTo(String.format("%08x", v & 0xFFFF_FFFFL));
		}
	}

	private static String hex8(long v) {
		byte[] b = new byte[8];
		long x = Ids.hex8(v);
		for (int i = 0; i < 8; i++) {
			b[i] = (byte) (x >>> (56 - 8 * i));
		}
		return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
	}

	@Test
	@SuppressWarnings({"unchecked", "rawtypes"})
	void everyHexDigitAppearsInEveryPlaceOfAnId() {
		// The random places of an id take all sixteen digits, the fixed ones only theirs.
		Set<Character>[] seen = new Set[32];
		for (int i = 0; i < seen.length; i++) {
			seen[i] = new HashSet<>();
		}
		for (int n = 0; n < 2_000; n++) {
			String id = Ids.newTaskId().substring("task_".length());
			for (int i = 0; i < 32; i++) {
				seen[i].add(id.charAt(i));
			}
		}
		for (int i = 0; i < 32; i++) {
			assertThat(seen[i]).as("place %d", i).hasSize(i == 12 ? 1 : i == 16 ? 4 : 16);
		}
	}

	@Test
	void aHundredThousandIdsAreDistinct() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(Ids.newTaskId());
		}
		assertThat(ids).hasSize(100_000);
	}

	@Test
	void theVersionIdIsDatedAndFixedForTheProcess() {
		assertThat(Ids.processVersionId()).matches("\\d{8}_[a-z]+-[a-z]+").isEqualTo(Ids.processVersionId());
		assertThat(Ids.newVersionId()).matches("\\d{8}_[a-z]+-[a-z]+");
	}
}
