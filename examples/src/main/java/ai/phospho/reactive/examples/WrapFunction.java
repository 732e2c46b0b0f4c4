package ai.phospho.reactive.examples;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.ChatMessage;
import ai.phospho.reactive.test.openai.Recording;

/**
 * "Use the @phospho.wrap decorator": every call of a wrapped function is a task, its argument the
 * input and its result the output.
 */
public final class WrapFunction implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new WrapFunction());
	}

	@Override
	public String title() {
		return "Wrap functions with Phospho.wrap";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_COMPLETION);
	}

	@Override
	public void run(Llm llm) {
		Function<List<ChatMessage>, String> answer = Phospho.wrap(messages -> Objects.requireNonNull(llm.openAi()
				.chat(ChatCompletionRequest.of(llm.openAiModel(), messages))
				.block(Examples.TIMEOUT)).text());

		answer.apply(List.of(
				ChatMessage.system("You are a helpful assistant."),
				ChatMessage.user("Explain quantum computers in less than 20 words.")));
	}
}
