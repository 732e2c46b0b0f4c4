package ai.phospho.reactive.examples;

import java.util.List;
import java.util.function.Function;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletionChunk;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.ChatMessage;
import ai.phospho.reactive.test.openai.Recording;
import reactor.core.publisher.Flux;

/**
 * "Wrap a streaming function with phospho.wrap": {@code wrapFlux} concatenates the text of what the
 * function streams, and logs when {@code stop} matches (or the stream ends). Python's stop rule is
 * "the token is None"; a {@code Flux} carries no null, so the rule here is OpenAI's: the chunk that
 * has a {@code finish_reason}.
 */
public final class WrapStreamingFunction implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new WrapStreamingFunction());
	}

	@Override
	public String title() {
		return "Wrap a streaming function";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_STREAM);
	}

	@Override
	public void run(Llm llm) {
		Function<List<ChatMessage>, Flux<ChatCompletionChunk>> answer = Phospho.wrapFlux(
				messages -> llm.openAi().chatStream(ChatCompletionRequest.of(llm.openAiModel(), messages)),
				WrapStreamingFunction::finished);

		answer.apply(List.of(
				ChatMessage.system("You are a helpful assistant."),
				ChatMessage.user("Explain quantum computers in less than 20 words.")))
				.blockLast(Examples.TIMEOUT);
	}

	private static boolean finished(ChatCompletionChunk chunk) {
		return chunk.choices().stream().anyMatch(c -> c.finishReason() != null);
	}
}
