package ai.phospho.reactive.openai;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoExtractor;
import ai.phospho.reactive.internal.Extraction;
import ai.phospho.reactive.internal.Extractors;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Typed records are logged exactly as their JSON maps are. */
class ExtractionEqualityTest {

	final PhosphoTestClient fx = PhosphoTestClient.create();
	final OpenAiExtractor extractor = new OpenAiExtractor();

	@AfterEach
	void close() {
		fx.close();
	}

	static Object asMap(Object typed) {
		return Json.MAPPER.convertValue(typed, new TypeReference<Object>() { });
	}

	/** What extraction takes from a task: input, output, system prompt, model, usage. */
	static List<Object> extracted(LoggedTask t) {
		return Arrays.asList(t.input(), t.output(), t.systemPrompt(), t.model(), t.promptTokens(),
				t.completionTokens(), t.totalTokens());
	}

	void assertSameExtraction(Object typedInput, Object typedOutput) {
		LoggedTask typed = fx.client().log(typedInput, typedOutput);
		LoggedTask maps = fx.client().log(asMap(typedInput), asMap(typedOutput));
		assertThat(extracted(typed)).isEqualTo(extracted(maps));
		assertThat(typed.rawInput()).isEqualTo(maps.rawInput());
		assertThat(typed.rawOutput()).isEqualTo(maps.rawOutput());
	}

	@Test
	void theExtractorIsRegisteredThroughTheServiceLoader() {
		assertThat(Extractors.all()).hasAtLeastOneElementOfType(OpenAiExtractor.class);
	}

	@Test
	void aTypedRequestAndCompletionGiveWhatTheirMapsGive() {
		ChatCompletionRequest request = ChatCompletionRequest.builder("gpt-4o-mini")
				.system("You are a helpful assistant.").user("Explain quantum computers in less than 20 words.").build();
		ChatCompletion completion = Json.MAPPER.readValue(Recording.CHAT_COMPLETION.body(), ChatCompletion.class);

		assertSameExtraction(request, completion);
		assertThat(extracted(fx.client().log(request, completion))).containsExactly(
				"Explain quantum computers in less than 20 words.",
				"Qubits harness quantum physics for faster, more powerful computation.",
				"You are a helpful assistant.", "gpt-4o-mini-2024-07-18", 27L, 12L, 39L);
	}

	@Test
	void typedMessageListsWithContentPartsGiveWhatTheirMapsGive() {
		List<ChatMessage> messages = List.of(ChatMessage.system("Be brief."),
				ChatMessage.user(List.of(ContentPart.text("What is this?"), ContentPart.imageUrl("https://x/a.png"))),
				ChatMessage.user("And this?"), ChatMessage.assistant("A cat.\nA dog."));

		assertSameExtraction(messages, messages);
		assertThat(fx.client().log(messages, messages).input()).isEqualTo("What is this?\nAnd this?");
	}

	@Test
	void ollamaRequestsAndRepliesGiveWhatTheirMapsGive() {
		OllamaGenerateRequest generate = OllamaGenerateRequest.builder("mistral-7b", "Why is the sky blue?").build();
		String lastLine = new String(Recording.OLLAMA_GENERATE_STREAM.body()).lines().reduce((a, b) -> b).orElseThrow();
		OllamaGenerateResponse reply = Json.MAPPER.readValue(lastLine, OllamaGenerateResponse.class).withResponse("Rayleigh.", null);
		assertSameExtraction(generate, reply);
		assertThat(extracted(fx.client().log(generate, reply)))
				.containsExactly("Why is the sky blue?", "Rayleigh.", null, "mistral-7b", 14L, 12L, 26L);

		OllamaChatRequest chat = OllamaChatRequest.of("llama3.2",
				List.of(OllamaMessage.system("Be brief."), OllamaMessage.user("Hi")));
		OllamaChatResponse chatReply = new OllamaChatResponse("llama3.2", null, OllamaMessage.assistant("Hello!"), true,
				"stop", null, null, 5L, null, 2L, null, Map.of());
		assertSameExtraction(chat, chatReply);
		assertThat(extracted(fx.client().log(chat, chatReply)))
				.containsExactly("Hi", "Hello!", "Be brief.", "llama3.2", 5L, 2L, 7L);
	}

	@Test
	void chunkTextAndFinalChunkShortcutsAgreeWithTheBuiltInRulesOnEveryRecordedChunk() {
		List<Object> chunks = new ArrayList<>();
		for (Recording r : List.of(Recording.CHAT_STREAM, Recording.CHAT_STREAM_TOOL_CALLS)) {
			for (String line : new String(r.body()).split("\n\n")) {
				if (line.startsWith("data: {")) {
					chunks.add(Json.MAPPER.readValue(line.substring(6), ChatCompletionChunk.class));
				}
			}
		}
		for (String line : new String(Recording.OLLAMA_GENERATE_STREAM.body()).split("\n")) {
			chunks.add(Json.MAPPER.readValue(line, OllamaGenerateResponse.class));
		}
		for (String line : new String(Recording.OLLAMA_CHAT_STREAM.body()).split("\n")) {
			chunks.add(Json.MAPPER.readValue(line, OllamaChatResponse.class));
		}
		PhosphoExtractor spi = extractor;
		int finals = 0;
		for (Object chunk : chunks) {
			Object plain = Plain.of(chunk);
			String fast = spi.chunkText(chunk);
			if (fast != null) {
				// A chunk with usage or tool calls has no shortcut: it is read through its plain form.
				assertThat(fast).as("%s", chunk).isEqualTo(Extraction.chunkText(plain));
			}
			assertThat(spi.isFinalChunk(chunk)).as("%s", chunk).isEqualTo(Extraction.isFinalChunk(plain));
			// A class it answers for is one it says it reads: it is asked for the stream's chunks.
			assertThat(spi.readsChunksOf(chunk.getClass())).as("%s", chunk).isTrue();
			finals += Boolean.TRUE.equals(spi.isFinalChunk(chunk)) ? 1 : 0;
		}
		assertThat(chunks).hasSize(15 + 14 + 13 + 13);
		assertThat(finals).as("the usage chunks and the done lines").isEqualTo(4);
	}

	@Test
	void unknownValuesAreLeftToOtherExtractors() {
		assertThat(extractor.toPlain("text")).isNull();
		assertThat(extractor.chunkText(Map.of("choices", List.of()))).isNull();
		assertThat(extractor.isFinalChunk(42)).isNull();
		// Nor is it asked for their chunks: a map, a string, anything of another library.
		for (Class<?> type : List.of(HashMap.class, LinkedHashMap.class, Map.of().getClass(), String.class,
				Integer.class, ChatCompletion.class, ChatMessage.class)) {
			assertThat(extractor.readsChunksOf(type)).as("%s", type).isFalse();
		}
	}
}
