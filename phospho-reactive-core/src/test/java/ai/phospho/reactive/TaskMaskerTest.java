package ai.phospho.reactive;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskMaskerTest {

	private static final TaskMasker ALL = TaskMasker.builder().emails().cardNumbers().apiKeys().build();

	@Test
	void cardNumbersAreMaskedOnlyWhenTheyPassTheLuhnCheck() {
		assertThat(ALL.text("card 4111-1111-1111-1111 ok")).isEqualTo("card <redacted> ok");
		assertThat(ALL.text("card 4111111111111111")).isEqualTo("card <redacted>");
		assertThat(ALL.text("order 4111111111111112")).isEqualTo("order 4111111111111112");
		assertThat(ALL.text("ts 1732886400120")).isEqualTo("ts 1732886400120");
	}

	@Test
	void apiKeyLikeTokensAndEmailsAreMasked() {
		assertThat(ALL.text("key sk-ant-api03-abcdefghijklmnopqrst and a@b.io"))
				.isEqualTo("key <redacted> and <redacted>");
		assertThat(ALL.text("Authorization: Bearer abc.def-ghijklmnop")).isEqualTo("Authorization: Bearer <redacted>");
		assertThat(ALL.text("ghp_abcdefghijklmnopqrstuvwxyz0123456789 AKIAABCDEFGHIJKLMNOP"))
				.isEqualTo("<redacted> <redacted>");
		assertThat(ALL.text("sk-short and task-1234")).isEqualTo("sk-short and task-1234");
	}

	@Test
	void aTaskWithNothingToMaskIsReturnedAsItIs() {
		LoggedTask t = TestSupport.task(TaskLog.of(Map.of("messages", List.of(TestSupport.message("user", "hello"))))
				.output("world").metadata(Map.of("k", "v")));
		assertThat(ALL.redact(t)).isSameAs(t);
	}

	@Test
	void keysAreMaskedWhereverTheMapIsWhateverTheirCase() {
		LoggedTask t = TestSupport.task(TaskLog.of(Map.of("headers", Map.of("Authorization", "x", "Accept", "y")))
				.output("o").metadata(Map.of("list", List.of(Map.of("PASSWORD", 42)))));
		LoggedTask masked = TaskMasker.builder().keys("authorization", "password").replacement("***").build().redact(t);
		assertThat(masked.rawInput()).isEqualTo(Map.of("headers", Map.of("Authorization", "***", "Accept", "y")));
		assertThat(masked.metadata()).isEqualTo(Map.of("list", List.of(Map.of("PASSWORD", "***"))));
		assertThat(masked.taskId()).isEqualTo(t.taskId());
	}

	@Test
	void aBlankKeyNameIsRefused() {
		assertThatThrownBy(() -> TaskMasker.builder().keys(" ")).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("a key name must not be blank, was ' '");
	}
}
