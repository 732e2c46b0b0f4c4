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
