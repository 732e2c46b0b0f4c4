package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class ChatStreamAssemblerTest {

	static ChatCompletionChunk chunk(int index, ChatCompletionChunk.Delta delta, String finishReason) {
		return new ChatCompletionChunk("c-1", "chat.completion.chunk", 1L, "gpt-4o-mini",
				List.of(new ChatCompletionChunk.Choice(index, delta, finishReason, null, Map.of())), null, null, null,
				Map.of());
	}

	static ChatCompletionChunk.Delta delta(String role, String content, String refusal) {
		return new ChatCompletionChunk.Delta(role, content, null, refusal, Map.of());
	}

	@Test
	void choicesAreAssembledSeparatelyAndChoiceZeroGivesTheText() {
		ChatStreamAssembler a = new ChatStreamAssembler();
		a.add(chunk(0, delta("assistant", "", null), null));
		a.add(chunk(1, delta("assistant", "", null), null));
		a.add(chunk(1, delta(null, "Second", null), null));
		a.add(chunk(0, delta(null, "First", null), null));
		a.add(chunk(1, delta(null, null, null), "length"));
		a.add(chunk(0, delta(null, " one", null), "stop"));

		ChatCompletion c = a.completion();

		assertThat(a.text()).isEqualTo("First one");
		assertThat(a.chunkCount()).isEqualTo(6);
		assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0, 1);
		assertThat(c.choices()).extracting(ch -> ch.message().text()).containsExactly("First one", "Second");
		assertThat(c.choices()).extracting(ChatCompletion.Choice::finishReason).containsExactly("stop", "length");
		assertThat(c.text()).isEqualTo("First one");
		assertThat(c.id()).isEqualTo("c-1");
		assertThat(c.object()).isEqualTo("chat.completion");
	}

	@Test
	void aRefusalIsAssembledAndTheContentStaysNull() {
		ChatStreamAssembler a = new ChatStreamAssembler();
		a.add(chunk(0, delta("assistant", null, "I can't"), null));
		a.add(chunk(0, delta(null, null, " help with that."), "stop"));

		ChatMessage m = a.completion().choices().get(0).message();

		assertThat(m.refusal()).isEqualTo("I can't help with that.");
		assertThat(m.content()).isNull();
	}

	@Test
	void theUsageChunkIsTheFinalOneAndItsUsageIsKept() {
		ChatStreamAssembler a = new ChatStreamAssembler();
		ChatCompletionChunk usage = new ChatCompletionChunk("c-1", null, null, null, List.of(), Usage.of(3, 4, 7),
				null, null, Map.of());

		assertThat(a.add(ChatCompletionChunk.ofText("m", "Hi", "stop"))).isFalse();
		assertThat(a.add(usage)).isTrue();
		assertThat(a.completion().usage()).isEqualTo(Usage.of(3, 4, 7));
	}

	@Test
	void assembleEmitsTheWholeCompletionWhenTheStreamCompletes() {
		StepVerifier.create(ChatStreamAssembler.assemble(Flux.just(ChatCompletionChunk.ofText("m", "Hel", null),
						ChatCompletionChunk.ofText("m", "lo", "stop"))).map(ChatCompletion::text))
				.expectNext("Hello")
				.expectComplete()
				.verify(Duration.ofSeconds(5));
	}
}
