package ai.phospho.reactive;

import java.util.List;
import java.util.Map;

import ai.phospho.reactive.internal.Callbacks;
import org.junit.jupiter.api.Test;

import static ai.phospho.reactive.TestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** TaskLog's setters reach the event; the extractor SPI is found by ServiceLoader. */
class TaskLogTest {

	@Test
	void explicitIdentifiersAndFlagReachTheEvent() {
		LoggedTask t = task(TaskLog.of("q").output("a").sessionId("session-1").taskId("task-1").userId("user-7")
				.versionId("v3").flag(Flag.FAILURE));

		assertThat(t.toMap())
				.containsEntry("session_id", "session-1")
				.containsEntry("task_id", "task-1")
				.containsEntry("user_id", "user-7")
				.containsEntry("version_id", "v3")
				.containsEntry("flag", "failure");
	}

	@Test
	void putRefusesTheKeysThatHaveTheirOwnSetter() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskLog.of("q").put("input", "x"))
				.withMessage("key 'input' is a field of the event: set it with its own method");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskLog.of("q").put("client_created_at", 1))
				.withMessage("key 'client_created_at' is a field of the event: set it with its own method");
	}

	@Test
	void metadataCallsAddUp() {
		LoggedTask t = task(TaskLog.of("q").metadata(Map.of("a", 1)).metadata(Map.of("b", "two")));

		assertThat(t.metadata()).isEqualTo(Map.of("a", 1L, "b", "two"));
	}

	@Test
	void anOutputExtractorSetBeforeTheOutputIsApplied() {
		LoggedTask t = task(TaskLog.of("q").outputToString(o -> "custom " + o).output("raw"));

		assertThat(t.output()).isEqualTo("custom raw");
	}

	@Test
	void anOutputExtractorForAnotherOutputTypeFallsBackToTheDefaultExtraction() {
		LoggedTask t = task(TaskLog.of("q").output(Map.of("response", "ollama text"))
				.outputToString(m -> "custom " + m.get("response"))
				.output("a string now"));

		assertThat(t.output()).isEqualTo("a string now");
	}

	@Test
	void aServiceLoadedExtractorTeachesExtractionANewType() {
		LoggedTask t = task("q", new SpiTestExtractor.Typed("typed text"));

		assertThat(t.output()).isEqualTo("typed text");
		assertThat(t.model()).isEqualTo("typed-model");
		assertThat(t.rawOutputTypeName()).isEqualTo("Typed");
		assertThat(t.rawOutput()).isInstanceOf(Map.class);
	}

	@Test
	void aThrowingServiceLoadedExtractorIsReportedAndSkipped() {
		LoggedTask t = task("q", new SpiTestExtractor.Broken());

		assertThat(t.output()).isNotNull();
		assertThat(Callbacks.wasReported("toPlain:" + SpiTestExtractor.class.getName())).isTrue();
		WireEventTest.assertAcceptedByBackend(t);
	}

	@Test
	void aRequestGivenAsRawInputBesideItsMessagesGivesTheModelAndTheMessagesGiveTheText() {
		List<Map<String, Object>> messages = List.of(TestSupport.message("system", "Be brief."),
				TestSupport.message("user", "Hi"), TestSupport.message("user", "there"));
		Map<String, Object> request = Map.of("model", "gpt-4o-mini", "messages", messages, "temperature", 0.2);

		LoggedTask t = TestSupport.task(TaskLog.of(messages).rawInput(request));

		assertThat(t.input()).isEqualTo("Hi\nthere");
		assertThat(t.systemPrompt()).isEqualTo("Be brief.");
		assertThat(t.model()).isEqualTo("gpt-4o-mini");
		assertThat(t.rawInput()).isEqualTo(request);
	}
}
