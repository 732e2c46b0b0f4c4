package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletion;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.test.openai.Recording;

/** "Log OpenAI queries and responses": the request and the completion objects, as they are. */
public final class OpenAiQuery implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new OpenAiQuery());
	}

	@Override
	public String title() {
		return "Log OpenAI queries and responses";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_COMPLETION);
	}

	@Override
	public void run(Llm llm) {
		String inputPrompt = "Explain quantum computers in less than 20 words.";

		// This is your LLM app code
		ChatCompletionRequest query = ChatCompletionRequest.builder(llm.openAiModel())
				.system("You are a helpful assistant.")
				.user(inputPrompt)
				.build();
		ChatCompletion response = llm.openAi().chat(query).block(Examples.TIMEOUT);

		// You can directly pass the request and the completion as input and output
		Phospho.log(query, response);
	}
}
