package ai.phospho.reactive.examples;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.ChatMessage;
import ai.phospho.reactive.test.openai.Recording;

/** "How to log metadata with phospho.wrap?": the metadata is logged with every call. */
public final class WrapWithMetadata implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new WrapWithMetadata());
	}

	@Override
	public String title() {
		return "Wrap with metadata";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_COMPLETION);
	}

	@Override
	public void run(Llm llm) {
		Function<List<ChatMessage>, String> answer = Phospho.wrap(messages -> Objects.requireNonNull(llm.openAi()
				.chat(ChatCompletionRequest.of(llm.openAiModel(), messages))
				.block(Examples.TIMEOUT)).text(),
				Map.of("more", "details"));

		answer.apply(List.of(
				ChatMessage.system("You are a helpful assistant."),
				ChatMessage.user("Explain quantum computers in less than 20 words.")));
	}
}
