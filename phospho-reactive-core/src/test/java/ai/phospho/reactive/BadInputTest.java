package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Json;
import ai.phospho.reactive.internal.Plain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** Values that cannot be extracted or serialised never break the caller, and are still exported. */
class BadInputTest {

	RecordingExporter exporter;
	PhosphoClient client;

	@BeforeEach
	void setUp() {
		exporter = RecordingExporter.immediate();
		client = PhosphoClient.create(TestSupport.options(exporter).build());
	}

	@AfterEach
	void tearDown() {
		client.shutdown().block(Duration.ofSeconds(5));
	}

	@Test
	@SuppressWarnings("DataFlowIssue")
	void aNullInputIsRefusedWithAMessageNamingInput() {
		assertThatNullPointerException().isThrownBy(() -> client.log(null, "out"))
				.withMessageContaining("input");
		assertThatNullPointerException().isThrownBy(() -> TaskLog.of(null))
				.withMessageContaining("input");
		assertThat(client.stats().queued()).isZero();
	}

	@Test
	void aThreadAsOutputFallsBackToItsStringFormWithItsTypeName() {
		Thread thread = new Thread(() -> { }, "not-serialisable");

		LoggedTask t = client.log("q", thread);
		client.flush().block(Duration.ofSeconds(5));

		assertThat(t.output()).isEqualTo(thread.toString()).contains("not-serialisable");
		assertThat(t.rawOutput()).isEqualTo(thread.toString());
		assertThat(t.rawOutputTypeName()).isEqualTo("Thread");
		assertThat(exporter.tasks()).containsExactly(t);
		WireEventTest.assertAcceptedByBackend(t);
	}

	@Test
	void aCyclicMapFallsBackToItsStringFormWithItsTypeName() {
		Map<String, Object> a = new HashMap<>();
		Map<String, Object> b = new HashMap<>();
		a.put("b", b);
		b.put("a", a);
		List<Object> selfList = new ArrayList<>();
		selfList.add(selfList);

		LoggedTask t = client.log(a, selfList);

		assertThat(t.input()).isNotNull();
		assertThat(t.rawInput()).isInstanceOf(String.class);
		assertThat(t.rawInputTypeName()).isEqualTo("HashMap");
		assertThat(t.output()).isEqualTo(selfList.toString());
		assertThat(t.rawOutputTypeName()).isEqualTo("ArrayList");
		WireEventTest.assertAcceptedByBackend(t);
	}

	public record Holder(String name, Thread thread) {
	}

	/** A bean whose getter fails. */
	public static final class Failing {
		public String getValue() {
			throw new IllegalStateException("getter bug");
		}

		@Override
		public String toString() {
			return "Failing()";
		}
	}

	@Test
	void aStructuredRawOutputLargerThanTheCapIsSentAsItsJsonTextCutToTheCap() {
		PhosphoClient small = PhosphoClient.create(TestSupport.options(exporter).maxFieldChars(1000).build());
		try {
			Map<String, Object> completion = Map.of("choices", List.of(Map.of("message",
					Map.of("role", "assistant", "content", "short"))), "logprobs", "x".repeat(5000));

			LoggedTask t = small.log("q", completion);

			assertThat(t.output()).isEqualTo("short");
			assertThat(t.rawOutput()).isInstanceOf(String.class);
			assertThat((String) t.rawOutput()).hasSize(1000).startsWith("{\"");
			assertThat(t.truncated()).isTrue();
			assertThat(t.toMap()).containsEntry("truncated", true);
		}
		finally {
			small.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void testAndStepIdsAreSentAsStringsAsTheBackendTypesThem() {
		LoggedTask t = client.log(TaskLog.of("q").put("test_id", 42).put("step_id", 7L).put("other", 3));

		assertThat(t.toMap()).containsEntry("test_id", "42").containsEntry("step_id", "7").containsEntry("other", 3L);
	}

	@Test
	void aThreadInsideARecordIsLoggedAsItsStringForm() {
		Thread thread = Thread.currentThread();
		Object object = new Object();

		LoggedTask t = client.log(new Holder("h", thread), List.of(new Holder("o", null), Map.of("k", object)));

		assertThat(t.rawInput()).isEqualTo(Map.of("name", "h", "thread", thread.toString()));
		assertThat(t.input()).isEqualTo(Json.text(ExtractionTest.map("name", "h", "thread", thread.toString())));
		assertThat(t.rawInputTypeName()).isEqualTo("Holder");
		WireEventTest.assertAcceptedByBackend(t);
	}

	public record Wrapper(Object value) {
	}

	@Test
	void jdkObjectsWithoutDataInsideARecordAreLoggedAsTheirStringForm() {
		Object object = new Object();

		LoggedTask t = client.log(new Wrapper(object), null);

		assertThat(t.rawInput()).isEqualTo(Map.of("value", object.toString()));
	}

	@Test
	void aBeanWhoseGetterThrowsFallsBackToItsStringForm() {
		LoggedTask t = client.log(new Failing(), new Failing());

		assertThat(t.input()).isEqualTo("Failing()");
		assertThat(t.output()).isEqualTo("Failing()");
		assertThat(t.rawInputTypeName()).isEqualTo("Failing");
		WireEventTest.assertAcceptedByBackend(t);
	}

	@Test
	void aThreeMegabyteOutputIsCutToMaxFieldCharsAndFlaggedTruncated() {
		String huge = "x".repeat(3 * 1024 * 1024);

		LoggedTask t = client.log("q", huge);
		client.flush().block(Duration.ofSeconds(5));

		assertThat(t.output()).hasSize(PhosphoOptions.DEFAULT_MAX_FIELD_CHARS);
		assertThat(t.truncated()).isTrue();
		assertThat(t.toMap()).containsEntry("truncated", true);
		assertThat((String) t.rawOutput()).hasSize(PhosphoOptions.DEFAULT_MAX_FIELD_CHARS);
		assertThat(exporter.tasks()).containsExactly(t);
		assertThat(client.stats().exported()).isEqualTo(1);
	}

	@Test
	void textWithALoneSurrogateIsExportedAndTheWorkerGoesOn() {
		LoggedTask bad = client.log("lone \uD800 surrogate", "and \uDC00 another");
		LoggedTask good = client.log("q", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(Duration.ofSeconds(5));

		assertThat(exporter.tasks()).containsExactly(bad, good);
		WireEventTest.assertAcceptedByBackend(good);
	}

	@Test
	void aShortTaskIsNotFlaggedTruncated() {
		LoggedTask t = client.log("q", "a");

		assertThat(t.truncated()).isFalse();
		assertThat(t.toMap()).doesNotContainKey("truncated");
	}

	@Test
	void cuttingNeverSplitsASurrogatePair() {
		PhosphoClient small = PhosphoClient.create(TestSupport.options(exporter).maxFieldChars(3).build());
		try {
			LoggedTask t = small.log("ab\uD83D\uDE00", "ok");

			assertThat(t.input()).isEqualTo("ab");
			assertThat(t.truncated()).isTrue();
		}
		finally {
			small.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void aThrowingCustomExtractorIsReportedAndTheDefaultExtractionIsUsed() {
		Function<Map<String, Object>, String> boom = x -> {
			throw new IllegalStateException("extractor bug");
		};
		Map<String, Object> request = Map.of("messages", List.of(Map.of("role", "user", "content", "default text")));

		LoggedTask t = client.log(TaskLog.of(request).inputToString(boom));
		LoggedTask again = client.log(TaskLog.of(request).inputToString(boom));

		assertThat(t.input()).isEqualTo("default text");
		assertThat(again.input()).isEqualTo("default text");
		assertThat(Callbacks.wasReported("inputToString:" + boom.getClass().getName())).isTrue();
	}

	@Test
	void aThrowingOutputExtractorIsReportedAndTheDefaultExtractionIsUsed() {
		Function<Object, String> boom = x -> {
			throw new IllegalArgumentException("output extractor bug");
		};

		LoggedTask t = client.log(TaskLog.of("q").output("the output").outputToString(boom));

		assertThat(t.output()).isEqualTo("the output");
		assertThat(Callbacks.wasReported("outputToString:" + boom.getClass().getName())).isTrue();
	}

	@Test
	void aCustomExtractorReturningNullIsReportedAndTheDefaultExtractionIsUsed() {
		Function<Object, String> none = x -> null;

		LoggedTask t = client.log(TaskLog.of("default").inputToString(none));

		assertThat(t.input()).isEqualTo("default");
		assertThat(Callbacks.wasReported("inputToString:" + none.getClass().getName())).isTrue();
	}
}
