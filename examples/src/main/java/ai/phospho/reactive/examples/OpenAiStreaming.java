package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.test.openai.Recording;

/**
 * "Example: OpenAI streaming": {@code logStream} concatenates the chunks' text as they pass and
 * logs one task when the stream ends (completes, fails or is cancelled).
 */
public final class OpenAiStreaming implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new OpenAiStreaming());
	}

	@Override
	public String title() {
		return "OpenAI streaming";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_STREAM);
	}

	@Override
	public void run(Llm llm) {
		ChatCompletionRequest query = ChatCompletionRequest.builder(llm.openAiModel())
				.system("You are a helpful assistant.")
				.user("Explain quantum computers in less than 20 words.")
				.build();

		// chatStream sends stream: true; logStream is the Java form of phospho.log(..., stream=True)
		llm.openAi().chatStream(query)
				.transform(Phospho.logStream(query))
				// Your app consumes the chunks as usual; here, wait for the end
				.blockLast(Examples.TIMEOUT);
	}
}
