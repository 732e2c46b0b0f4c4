package ai.phospho.reactive;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock-free chunk store of a captured stream: caps, what it holds, and a reader racing the writer. */
class ChunksTest {

	@Test
	void aSnapshotTakenWhileChunksArriveIsConsistentWithItsCount() throws InterruptedException {
		int cap = 8;
		int per = 40;
		List<String> bad = new ArrayList<>();
		for (int round = 0; round < 5_000 && bad.isEmpty(); round++) {
			Chunks chunks = new Chunks(cap);
			Object[] items = new Object[per];
			for (int i = 0; i < per; i++) {
				// Every other chunk is not a String: the raw array is created and grows mid-stream.
				items[i] = i % 2 == 0 ? "x" : List.of(i);
			}
			AtomicBoolean done = new AtomicBoolean();
			Thread writer = new Thread(() -> {
				for (Object o : items) {
					chunks.add(o, "x", "x".length() + 1L);
				}
				done.set(true);
			});
			writer.start();
			boolean last;
			do {
				last = done.get();
				Chunks.Snapshot s = chunks.snapshot();
				int k = s.text().length();
				// One char per chunk: raw cap after 4 chunks (text + 1 each), text cap after 8.
				if (k < cap && s.count() != k) {
					bad.add("count " + s.count() + " with text of " + k);
				}
				if (s.truncated() != (k > cap / 2 || s.count() > k)) {
					bad.add("truncated " + s.truncated() + " with text of " + k + ", count " + s.count());
				}
				if (s.raw().size() != Math.min(k, cap / 2)) {
					bad.add("raw of " + s.raw().size() + " with text of " + k);
				}
				for (int i = 0; i < s.raw().size(); i++) {
					if (s.raw().get(i) != items[i]) {
						bad.add("raw[" + i + "] is " + s.raw().get(i));
					}
				}
				// The last chunk seen: the count's, or one that arrived since.
				boolean seen = s.count() == 0;
				for (int i = Math.max(0, s.count() - 1); i < per && !seen; i++) {
					seen = items[i] == s.last();
				}
				if (!seen) {
					bad.add("last " + s.last() + " with count " + s.count());
				}
			}
			while (!last);
			writer.join();
		}
		assertThat(bad).isEmpty();
	}

	@Test
	void chunksPastTheRawCapAreNotHeldEvenWithoutText() {
		Chunks chunks = new Chunks(1_000);
		List<WeakReference<Object>> late = new ArrayList<>();
		for (int i = 0; i < 100_000; i++) {
			// A tool-call delta: a chunk with no text, which never fills the text cap.
			Object delta = new int[] {i};
			if (i >= 2_000 && i % 1_000 == 0) {
				late.add(new WeakReference<>(delta));
			}
			chunks.add(delta, "", "".length() + 1L);
		}
		Chunks.Snapshot s = chunks.snapshot();
		for (int i = 0; i < 20 && late.stream().anyMatch(r -> r.get() != null); i++) {
			System.gc();
		}

		assertThat(s.raw()).hasSize(1_000);
		assertThat(s.count()).isEqualTo(100_000);
		assertThat(s.truncated()).isTrue();
		assertThat(late).allSatisfy(r -> assertThat(r.get()).isNull());
		Reference.reachabilityFence(chunks);
	}

	@Test
	void theTextIsCutAtTheCapAndTheRawChunksStopAtTheirBudget() {
		Chunks chunks = new Chunks(10);
		chunks.add("abcdef", "abcdef", "abcdef".length() + 1L);
		chunks.add("ghijkl", "ghijkl", "ghijkl".length() + 1L);
		chunks.add("mnop", "mnop", "mnop".length() + 1L);

		Chunks.Snapshot s = chunks.snapshot();
		assertThat(s.text()).isEqualTo("abcdefghij");
		assertThat(s.raw()).containsExactly("abcdef");
		assertThat(s.count()).isEqualTo(3);
		assertThat(s.truncated()).isTrue();
	}

	@Test
	void theLastChunkIsTheOneSeenLastWhetherKeptCutOrPastTheCaps() {
		Chunks chunks = new Chunks(10);
		String whole = "ghijklmn";
		chunks.add("abcdef", "abcdef", "abcdef".length() + 3L);
		assertThat(chunks.snapshot().last()).isEqualTo("abcdef");
		// Cut at the text cap, past the raw cap: the chunk as it came, not its text.
		chunks.add(whole, whole, whole.length() + 3L);
		assertThat(chunks.snapshot().last()).isSameAs(whole);
		List<String> late = List.of("late");
		chunks.add(late, "late", 10L);
		assertThat(chunks.snapshot().last()).isSameAs(late);

		Chunks typed = new Chunks(100);
		List<String> a = List.of("a");
		typed.add(a, "a", 2L);
		assertThat(typed.snapshot().last()).isSameAs(a);
		String b = "b";
		typed.add(b, b, 4L);
		assertThat(typed.snapshot().last()).isSameAs(b);
		List<String> big = List.of("big");
		typed.add(big, "c", 1_000L);
		assertThat(typed.snapshot().last()).isSameAs(big);
		assertThat(typed.snapshot().raw()).containsExactly(a, b);
	}

	@Test
	void nothingIsTruncatedBelowTheCaps() {
		Chunks chunks = new Chunks(100);
		chunks.add("Hel", "Hel", "Hel".length() + 1L);
		chunks.add(List.of("lo"), "lo", "lo".length() + 1L);

		Chunks.Snapshot s = chunks.snapshot();
		assertThat(s.text()).isEqualTo("Hello");
		assertThat(s.raw()).containsExactly("Hel", List.of("lo"));
		assertThat(s.first()).isEqualTo("Hel");
		assertThat(s.last()).isEqualTo(List.of("lo"));
		assertThat(s.truncated()).isFalse();
	}

	@Test
	void theTextIsEveryTextJoinedWhateverItsCharactersAndTheLengthHint() {
		// Latin-1, other BMP characters, a surrogate pair, empty texts: kept as they came.
		String[] texts = {"tok ", "", "é", "日本", "\uD83D\uDE00", "", "a".repeat(40), "z"};
		String all = String.join("", texts);
		Chunks chunks = new Chunks(1_000);
		for (String t : texts) {
			chunks.add(t, t, t.length() + 3L);
		}
		assertThat(chunks.snapshot().text()).isEqualTo(all);
		// The writer's count of text kept is only a hint for a concurrent reader: short or long, the same text.
		for (long hint : new long[] {0, 1, 5, all.length(), all.length() + 100}) {
			assertThat(Chunks.join(texts, texts.length, hint)).isEqualTo(all);
			assertThat(Chunks.join(texts, 3, hint)).isEqualTo("tok é");
		}
		assertThat(Chunks.join(texts, 1, 0)).isEqualTo("tok ");
	}
}
