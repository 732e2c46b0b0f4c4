package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The official SDK's own classes, logged and streamed. */
class OpenAiSdkTest {

	static final String PROMPT = "Explain quantum computers in less than 20 words.";
	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final PhosphoTestClient fx = PhosphoTestClient.create();
	final MockOpenAiServer server = MockOpenAiServer.start();
	final ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("gpt-4o-mini")
			.addSystemMessage("You are a helpful assistant.")
			.addUserMessage(PROMPT)
			.build();

	@AfterEach
	void close() {
		fx.close();
		server.close();
	}

	static com.openai.models.chat.completions.ChatCompletion sdkCompletion() throws Exception {
		return ObjectMappers.jsonMapper().readValue(Recording.CHAT_COMPLETION.body(),
				com.openai.models.chat.completions.ChatCompletion.class);
	}

	@Test
	void sdkParamsAndCompletionAreLoggedAsTheirMapsAre() throws Exception {
		LoggedTask sdk = fx.client().log(params, sdkCompletion());
		LoggedTask maps = fx.client().log(
				Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "system", "content",
						"You are a helpful assistant."), Map.of("role", "user", "content", PROMPT))),
				Json.MAPPER.readValue(Recording.CHAT_COMPLETION.body(), Map.class));

		assertThat(ExtractionEqualityTest.extracted(sdk)).isEqualTo(ExtractionEqualityTest.extracted(maps))
				.containsExactly(PROMPT, ANSWER, "You are a helpful assistant.", "gpt-4o-mini-2024-07-18", 27L, 12L, 39L);
		assertThat(sdk.rawInputTypeName()).isEqualTo("ChatCompletionCreateParams");
	}

	@Test
	void sdkChunksHaveTheSameTextAndFinalChunkAsOurRecords() throws Exception {
		OpenAiExtractor extractor = new OpenAiExtractor();
		int finals = 0;
		for (String event : new String(Recording.CHAT_STREAM.body()).split("\n\n")) {
			if (!event.startsWith("data: {")) {
				continue;
			}
			String json = event.substring(6);
			var sdkChunk = ObjectMappers.jsonMapper().readValue(json,
					com.openai.models.chat.completions.ChatCompletionChunk.class);
			ChatCompletionChunk ours = Json.MAPPER.readValue(json, ChatCompletionChunk.class);
			assertThat(extractor.chunkText(sdkChunk)).isEqualTo(ours.usage() != null ? null : ours.text());
			assertThat(extractor.isFinalChunk(sdkChunk)).isEqualTo(ours.usage() != null && ours.choices().isEmpty());
			assertThat(extractor.readsChunksOf(sdkChunk.getClass())).isTrue();
			assertThat(fx.client().log("q", sdkChunk).output()).isEqualTo(ours.text());
			finals += ours.usage() != null ? 1 : 0;
		}
		assertThat(finals).isEqualTo(1);
	}

	@Test
	void theSdksAsyncStreamingResponseBecomesAFlux() {
		server.enqueue(Recording.CHAT_STREAM);
		OpenAIClientAsync client = OpenAIOkHttpClientAsync.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
				.maxRetries(0).build();
		try {
			List<String> texts = new ArrayList<>();
			StepVerifier.create(OpenAiSdk.flux(() -> client.chat().completions().createStreaming(params)))
					.thenConsumeWhile(c -> texts.add(java.util.Objects.requireNonNullElse(new OpenAiExtractor().chunkText(c), "")))
					.expectComplete()
					.verify(Duration.ofSeconds(10));

			assertThat(texts).hasSize(15);
			assertThat(String.join("", texts)).isEqualTo(ANSWER);
			assertThat(server.requests().get(0).headers()).containsEntry("authorization", "Bearer sk-test");
		}
		finally {
			client.close();
		}
	}

	@Test
	void cancellingTheSdkFluxClosesTheResponse() throws InterruptedException {
		server.enqueue(Recording.CHAT_STREAM.replay().perEvent(Duration.ofMillis(30)));
		OpenAIClientAsync client = OpenAIOkHttpClientAsync.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
				.maxRetries(0).build();
		try {
			StepVerifier.create(OpenAiSdk.flux(() -> client.chat().completions().createStreaming(params)).take(3))
					.expectNextCount(3)
					.expectComplete()
					.verify(Duration.ofSeconds(10));

			assertThat(server.awaitClientAbort(Duration.ofSeconds(5))).isTrue();
		}
		finally {
			client.close();
		}
	}
}
