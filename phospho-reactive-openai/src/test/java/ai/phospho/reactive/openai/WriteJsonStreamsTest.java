package ai.phospho.reactive.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link OpenAiExtractor#writeJson} keeps one writer for the last stream: streams taken in turn on one thread. */
class WriteJsonStreamsTest {

	static String json(Object v) {
		return Json.MAPPER.writeValueAsString(v);
	}

	@Test
	void twoStreamsInterleavedOnOneThreadEachGetTheirOwnValues() throws Exception {
		OpenAiExtractor e = new OpenAiExtractor();
		ByteArrayOutputStream a = new ByteArrayOutputStream();
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		ChatCompletionChunk a1 = ChatCompletionChunk.ofText("m", "a1", null);
		ChatCompletionChunk b1 = ChatCompletionChunk.ofText("m", "b1", null);
		ChatCompletionChunk a2 = ChatCompletionChunk.ofText("m", "a2", "stop");
		assertThat(e.writeJson(a1, a)).isTrue();
		assertThat(e.writeJson(b1, b)).isTrue();
		assertThat(e.writeJson(a2, a)).isTrue();
		assertThat(e.writeJson(b1, b)).isTrue();
		assertThat(a.toString(StandardCharsets.UTF_8)).isEqualTo(json(a1) + json(a2));
		assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo(json(b1) + json(b1));
	}

	@Test
	void aStreamThatFailedOnceIsWrittenAfreshAfterIt() throws Exception {
		OpenAiExtractor e = new OpenAiExtractor();
		ByteArrayOutputStream kept = new ByteArrayOutputStream();
		boolean[] fail = {true};
		OutputStream flaky = new OutputStream() {
			@Override
			public void write(int c) {
				write(new byte[] {(byte) c}, 0, 1);
			}

			@Override
			public void write(byte[] bytes, int off, int len) {
				if (fail[0]) {
					fail[0] = false;
					throw new IllegalStateException("full");
				}
				kept.write(bytes, off, len);
			}
		};
		ChatCompletionChunk c1 = ChatCompletionChunk.ofText("m", "one", null);
		ChatCompletionChunk c2 = ChatCompletionChunk.ofText("m", "two", null);
		assertThatThrownBy(() -> e.writeJson(c1, flaky)).isInstanceOf(RuntimeException.class);
		int afterFailure = kept.size();
		assertThat(e.writeJson(c2, flaky)).isTrue();
		assertThat(kept.toString(StandardCharsets.UTF_8).substring(afterFailure)).isEqualTo(json(c2));
	}
}
