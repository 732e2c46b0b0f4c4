package ai.phospho.reactive.openai;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunks of this module's records that an extractor reads without conversion are bounded by what they hold. */
class TypedChunkBoundsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(10);
	static final int MAX = 10_000;

	final InMemoryTaskExporter exporter = new InMemoryTaskExporter();
	final PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().exporter(exporter)
			.lingerDelay(Duration.ofMillis(10)).shutdownHook(false).maxFieldChars(MAX).build());

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	/** An OpenAI audio delta as the client parses it: no text, a large base64 payload in the delta's extra fields. */
	static ChatCompletionChunk audioDelta(int i, int size) {
		String data = String.valueOf((char) ('A' + i % 26)).repeat(size);
		String json = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-audio-preview\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"audio\":{\"id\":\"audio_1\",\"data\":\"" + data + "\"}}}]}";
		return Json.MAPPER.readValue(json, ChatCompletionChunk.class);
	}

	@Test
	void audioDeltaRecordsWithoutTextAreNotHeldPastTheCapWhileTheStreamIsOpen() {
		Sinks.Many<ChatCompletionChunk> source = Sinks.many().unicast().onBackpressureBuffer();
		List<WeakReference<Object>> late = new ArrayList<>();
		StepVerifier verifier = StepVerifier.create(source.asFlux().transform(client.logStream("speak")))
				.thenConsumeWhile(c -> true).expectComplete().verifyLater();
		// 80 chunks of 2,000 characters each: 16 times the cap of 10,000.
		for (int i = 0; i < 80; i++) {
			ChatCompletionChunk chunk = audioDelta(i, 2_000);
			// The first and the last chunk may be held for the model and usage they carry.
			if (i >= 20 && i < 79) {
				late.add(new WeakReference<>(chunk));
			}
			source.tryEmitNext(chunk);
		}
		for (int i = 0; i < 20 && late.stream().anyMatch(r -> r.get() != null); i++) {
			System.gc();
		}
		assertThat(late.stream().filter(r -> r.get() != null).count()).as("chunks held past the cap").isZero();

		source.tryEmitComplete();
		verifier.verify(TIMEOUT);
		client.flush().block(TIMEOUT);
		LoggedTask t = exporter.tasks().get(0);
		assertThat(t.truncated()).isTrue();
		assertThat(ai.phospho.reactive.internal.Json.text(t.toMap()).length()).isLessThan(2 * MAX);
		Reference.reachabilityFence(source);
	}
}
