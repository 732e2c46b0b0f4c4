package ai.phospho.reactive.test;

import java.time.Duration;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test client and its extension: installed for the test, gone after it. */
@ExtendWith(PhosphoClientExtension.class)
class PhosphoClientExtensionTest {

	@Test
	void theStaticApiLogsToTheTestClient(PhosphoTestClient phospho) {
		Phospho.log("in", "out");
		StepVerifier.create(Flux.just("a", "b").transform(Phospho.logStream("q")))
				.expectNext("a", "b").expectComplete().verify(Duration.ofSeconds(5));

		assertThat(phospho.tasks()).extracting(LoggedTask::output).containsExactly("out", "ab");
		assertThat(Phospho.client()).isSameAs(phospho.client());
	}

	@Test
	void everyParameterOfOneTestGetsTheSameClient(PhosphoTestClient a, PhosphoTestClient b) {
		assertThat(a).isSameAs(b);
	}

	@Test
	void closingShutsTheClientDownAndRestoresTheOneInstalledBefore() {
		PhosphoClient before = current();
		PhosphoTestClient first = PhosphoTestClient.create().install();
		PhosphoTestClient second = PhosphoTestClient.create().install();
		assertThat(Phospho.client()).isSameAs(second.client());

		second.close();
		assertThat(second.client().isShutdown()).isTrue();
		assertThat(Phospho.client()).isSameAs(first.client());
		first.close();
		assertThat(current()).isSameAs(before);
	}

	@Test
	void onlyTaskSaysHowManyThereWere() {
		try (PhosphoTestClient phospho = PhosphoTestClient.create()) {
			assertThatThrownBy(phospho::onlyTask).isInstanceOf(AssertionError.class)
					.hasMessage("expected exactly one task, got 0: []");
		}
	}

	private static @Nullable PhosphoClient current() {
		try {
			return Phospho.client();
		}
		catch (IllegalStateException notInitialised) {
			return null;
		}
	}
}
