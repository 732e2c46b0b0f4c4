package ai.phospho.reactive;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.internal.EventWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything a task holds is bounded by {@code maxFieldChars}, while its stream is open and once
 * built, whatever the values: chunks without text, metadata, extra keys, huge collections; and
 * batches stay within {@code maxBatchBytes} whatever their strings need escaping.
 */
class BoundsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(10);
	static final int MAX = 10_000;

	final RecordingExporter exporter = RecordingExporter.immediate();
	final PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).maxFieldChars(MAX).build());

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	/** An OpenAI audio delta: no text, a large base64 payload (the shape of gpt-4o-audio-preview streams). */
	static Map<String, Object> audioDelta(int i, int size) {
		String data = String.valueOf((char) ('A' + i % 26)).repeat(size);
		return Map.of("id", "chatcmpl-1", "object", "chat.completion.chunk", "choices",
				List.of(Map.of("index", 0, "delta", Map.of("audio", Map.of("id", "audio_1", "data", data)))));
	}

	@Test
	void chunksWithoutTextAreBoundedInSizeWhileTheStreamIsOpenAndOnceBuilt() {
		Sinks.Many<Map<String, Object>> source = Sinks.many().unicast().onBackpressureBuffer();
		List<WeakReference<Object>> late = new ArrayList<>();
		StepVerifier.Step<Map<String, Object>> open = StepVerifier.create(source.asFlux()
				.transform(client.logStream("speak")));
		StepVerifier verifier = open.thenConsumeWhile(c -> true).expectComplete().verifyLater();
		for (int i = 0; i < 80; i++) {
			Map<String, Object> chunk = audioDelta(i, 2_000);
			// The first and the last chunk are held for the model and usage they may carry.
			if (i >= 20 && i < 79) {
				late.add(new WeakReference<>(chunk));
			}
			source.tryEmitNext(chunk);
		}
		// The stream is still open: the chunks past the cap are not held.
		for (int i = 0; i < 20 && late.stream().anyMatch(r -> r.get() != null); i++) {
			System.gc();
		}
		assertThat(late).allSatisfy(r -> assertThat(r.get()).isNull());

		source.tryEmitComplete();
		verifier.verify(TIMEOUT);
		LoggedTask t = exporter.flushed(client).get(0);
		assertThat(t.truncated()).isTrue();
		assertThat(t.metadata()).containsEntry("chunk_count", 80L);
		assertThat((List<?>) t.rawOutput()).hasSizeBetween(1, 5);
		assertThat(t.json().length).isLessThan(2 * MAX);
		Reference.reachabilityFence(source);
	}

	@Test
	void metadataAndExtraKeysAreBoundedAsAWhole() {
		String big = "m".repeat(1_000_000);
		TaskLog<String, String> log = TaskLog.of("q").output("a").metadata(Map.of("big", big)).put("huge", big);
		for (int i = 0; i < 2_000; i++) {
			log.metadata(Map.of("k" + i, "value " + i));
		}

		LoggedTask t = client.log(log);

		assertThat(t.truncated()).isTrue();
		assertThat(EventWriter.estimate(t.metadata())).isLessThanOrEqualTo(MAX);
		assertThat(EventWriter.estimate(t.extras())).isLessThanOrEqualTo(MAX);
		assertThat(t.json().length).isLessThan(3 * MAX);
	}

	@Test
	void aHugeListCostsTheCallerNoMoreThanWhatIsKept() {
		List<Integer> numbers = Collections.nCopies(2_000_000, 7);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();

		LoggedTask t = client.log(numbers, "a");

		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		// 1.4 GB before conversion stopped at the cap; what is kept is 10,000 characters.
		assertThat(allocated).isLessThan(20_000_000L);
		assertThat(t.truncated()).isTrue();
		assertThat(t.input()).hasSize(MAX).startsWith("[7,7,7");
		assertThat(t.rawInput()).isInstanceOf(String.class);
		assertThat((String) t.rawInput()).hasSize(MAX);
	}

	@Test
	void aValueWhoseListsAreSharedCostsTheCallerNoMoreThanWhatIsKept() {
		// Twelve levels of a list holding the level below twice: 25 KB held by the caller, 4,096
		// copies of the string once expanded into a tree.
		Object value = "s".repeat(25_000);
		for (int i = 0; i < 12; i++) {
			value = List.of(value, value);
		}
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();

		LoggedTask t = client.log(value, "a");

		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated).isLessThan(20_000_000L);
		assertThat(t.truncated()).isTrue();
		assertThat((String) t.rawInput()).hasSize(MAX);
	}

	@Test
	void theInputOfAHugeConversationIsItsLastUserMessage() {
		List<Map<String, String>> messages = new ArrayList<>();
		messages.add(Map.of("role", "system", "content", "You are terse."));
		for (int i = 0; i < 100_000; i++) {
			messages.add(Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "turn " + i));
		}
		messages.add(Map.of("role", "user", "content", "and the last question?"));

		LoggedTask t = client.log(Map.of("model", "gpt-4o-mini", "messages", messages), "a");

		assertThat(t.input()).isEqualTo("and the last question?");
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
		assertThat(t.truncated()).isTrue();
	}

	@Test
	void batchesStayWithinMaxBatchBytesWhateverTheirStringsNeedEscaping() {
		int maxBatchBytes = 20_000;
		RecordingExporter batches = RecordingExporter.immediate();
		PhosphoClient c = PhosphoClient.create(TestSupport.options(batches).maxBatchBytes(maxBatchBytes)
				.maxBatchSize(1_000).build());
		try {
			String quotes = "\"\\".repeat(500);
			String controls = "\u0001\u0002\u001f".repeat(300);
			for (int i = 0; i < 60; i++) {
				c.log(i % 2 == 0 ? quotes : controls, "a");
			}
			c.flush().block(TIMEOUT);

			assertThat(batches.batches()).hasSizeGreaterThan(1);
			for (List<LoggedTask> batch : batches.batches()) {
				// The body as the HTTP exporter writes it: {"batched_log_events":[e1,e2,...]}.
				long body = "{\"batched_log_events\":[]}".length() + batch.size() - 1;
				for (LoggedTask t : batch) {
					body += t.json().length;
				}
				assertThat(body).isLessThanOrEqualTo(maxBatchBytes);
			}
		}
		finally {
			c.shutdown().block(TIMEOUT);
		}
	}

	@Test
	void aStringsEstimateIsItsExactJsonSize() {
		for (String s : List.of("plain", "\"quoted\"", "back\\slash", "\n\t\r\b\f", "\u0000\u001f", "é€😀")) {
			assertThat(EventWriter.estimate(s)).as(s).isEqualTo(TestSupport.JSON.writeValueAsBytes(s).length);
		}
	}
}
