package ai.phospho.reactive.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.ChatCompletion;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.ChatMessage;
import ai.phospho.reactive.test.openai.Recording;

/**
 * "Log a list of OpenAI messages": the conversation history as input and output; the input, output
 * and system prompt are extracted from the messages' roles.
 */
public final class MessageList implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new MessageList());
	}

	@Override
	public String title() {
		return "Log a list of OpenAI messages";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_COMPLETION);
	}

	@Override
	public void run(Llm llm) {
		// This is your conversation history in a chat app
		List<ChatMessage> messages = new ArrayList<>(List.of(
				ChatMessage.system("You are a helpful assistant."),
				ChatMessage.user("Explain quantum computers in less than 20 words.")));

		// Your LLM app code generates a response
		ChatCompletion response = Objects.requireNonNull(
				llm.openAi().chat(ChatCompletionRequest.of(llm.openAiModel(), messages)).block(Examples.TIMEOUT));

		// You append the response to the conversation history
		messages.add(ChatMessage.of("assistant", response.text()));

		// You can log the conversation history as input or output
		Phospho.log(messages, messages);
	}
}
