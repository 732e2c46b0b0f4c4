package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.langchain4j.ChatStreamEvent;
import ai.phospho.reactive.langchain4j.LangChain4jFlux;
import ai.phospho.reactive.langchain4j.PhosphoStreamingChatModel;
import ai.phospho.reactive.test.openai.Recording;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/**
 * LangChain4j: a streaming model wrapped in {@link PhosphoStreamingChatModel} logs each stream as one
 * task, partial when the caller stops it; {@link LangChain4jFlux} gives the stream as a {@code Flux}.
 * (For a {@code ChatModel}, register {@code PhosphoChatModelListener} with {@code listeners(..)}.)
 */
public final class LangChain4jChat implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new LangChain4jChat());
	}

	@Override
	public String title() {
		return "LangChain4j streaming chat model";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.CHAT_STREAM);
	}

	@Override
	public void run(Llm llm) {
		StreamingChatModel model = PhosphoStreamingChatModel.wrap(OpenAiStreamingChatModel.builder()
			.baseUrl(llm.openAiBaseUrl())
			.apiKey(llm.openAiKey())
			.modelName(llm.openAiModel())
			.build(), Phospho.client());   // the one line

		ChatRequest request = ChatRequest.builder()
			.messages(SystemMessage.from("You are a helpful assistant."),
					UserMessage.from("Explain quantum computers in less than 20 words."))
			.build();

		// The stream as a Flux; each call of the wrapped model is logged once.
		LangChain4jFlux.from(model, request)
			.map(ChatStreamEvent::text)
			.blockLast(Examples.TIMEOUT);
	}
}
