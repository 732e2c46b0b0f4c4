package ai.phospho.reactive.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolCallsTest {

	@Test
	void callsAndNamesPastTheCapAreNotHeldWhileTheStreamIsOpen() {
		ToolCalls calls = new ToolCalls(1_000);
		// A stream of 100,000 chunks, each a call of its own (a new index) with a name: 100 times the cap.
		for (int i = 0; i < 100_000; i++) {
			calls.add(List.of(Map.of("index", i, "function", Map.of("name", "fn", "arguments", "{}"))));
		}
		// And a name streamed in pieces without end.
		for (int i = 0; i < 100_000; i++) {
			calls.add(List.of(Map.of("index", 0, "function", Map.of("name", "x"))));
		}

		assertThat(calls.render().length()).isLessThan(2 * 1_000);
	}
}
