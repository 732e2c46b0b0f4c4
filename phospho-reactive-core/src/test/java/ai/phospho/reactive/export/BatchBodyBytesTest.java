package ai.phospho.reactive.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.RecordingExporter;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.TestSupport;
import ai.phospho.reactive.internal.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP body writes a batch's events one after another on one generator: tasks whose plain texts
 * and made ids are written as raw bytes, between tasks that are not, give the bytes Jackson writes
 * for their maps, commas included.
 */
class BatchBodyBytesTest {

	@Test
	void aBatchOfPlainAndOtherTasksIsTheBytesOfTheirMaps() {
		PhosphoClient client = PhosphoClient.create(TestSupport.options(RecordingExporter.immediate())
				.shutdownHook(false).build());
		PhosphoHttpExporter exporter = PhosphoHttpExporter.builder().apiKey("k").projectId("p")
				.baseUrl("http://127.0.0.1:1").build();
		try {
			String plain = "plain text long enough for the byte shortcut, 0123456789";
			List<LoggedTask> batch = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				String in = i % 3 == 0 ? plain + i : i % 3 == 1 ? "é " + plain : plain + "\"" + i;
				// The body sizes each task first: their plain texts are marked before they are written.
				batch.add(client.log(in, i % 2 == 0 ? in : plain));
			}
			ByteArrayOutputStream expected = new ByteArrayOutputStream();
			expected.writeBytes("{\"batched_log_events\":[".getBytes(StandardCharsets.UTF_8));
			ByteBuf buf = exporter.body(ByteBufAllocator.DEFAULT, batch);
			try {
				for (int i = 0; i < batch.size(); i++) {
					if (i > 0) {
						expected.write(',');
					}
					expected.writeBytes(Json.mapper().writeValueAsBytes(batch.get(i).toMap()));
				}
				expected.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
				assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
			}
			finally {
				buf.release();
			}
		}
		finally {
			exporter.shutdown().block(Duration.ofSeconds(5));
			client.shutdown().block(Duration.ofSeconds(10));
		}
	}
}
