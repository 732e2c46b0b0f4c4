package ai.phospho.reactive.examples;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletion;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.test.openai.Recording;
import reactor.core.publisher.Mono;

/**
 * "Wrap an imported function with phospho.wrap": a method you cannot change, wrapped through its
 * method reference. {@code OpenAiClient::chat} returns a {@code Mono}, so {@code wrapMono} logs the
 * completion it emits (plain {@code wrap} would log the {@code Mono} object).
 */
public final class WrapImportedFunction implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new WrapImportedFunction());
	}

	@Override
	public String title() {
		return "Wrap a function you don't own";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_COMPLETION);
	}

	@Override
	public void run(Llm llm) {
		// You can wrap any function, here a method of a client you did not write
		Function<ChatCompletionRequest, Mono<ChatCompletion>> create = Phospho.wrapMono(llm.openAi()::chat,
				// Pass additional metadata
				Map.of("more", "details"));

		create.apply(ChatCompletionRequest.builder(llm.openAiModel())
				.system("You are a helpful assistant.")
				.user("Explain quantum computers in less than 20 words.")
				.build())
				.block(Examples.TIMEOUT);
	}
}
