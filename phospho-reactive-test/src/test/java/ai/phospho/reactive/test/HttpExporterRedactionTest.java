package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import ai.phospho.reactive.Flag;
import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.export.PhosphoExportException;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that echoes the request headers in its error texts: the key must not reach a log line,
 * {@code stats()}, a {@code toString()} or an exception, whole or in part, wherever the client cuts
 * the text.
 */
class HttpExporterRedactionTest {

	private static final Duration BOUND = Duration.ofSeconds(10);
	private static final String KEY = "sk-SECRET-1234567890abcdefghijKLMN";
	/** Where the client cuts a server's reply in a message. */
	private static final int CUT = 500;

	private MockPhosphoServer server;
	private final List<String> texts = new ArrayList<>();

	@BeforeEach
	void start() {
		server = MockPhosphoServer.start(KEY, "p");
	}

	@AfterEach
	void stop() {
		server.close();
	}

	/** Every run of 8 characters of the key: a cut at any place leaves one of them if it leaves 8. */
	private static List<String> partsOfKey() {
		return IntStream.rangeClosed(0, KEY.length() - 8).mapToObj(i -> KEY.substring(i, i + 8)).toList();
	}

	private void assertNoPartOfKeyIn(List<String> all) {
		assertThat(all).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(partsOfKey()));
	}

	/** The index, in the text a client keeps of an echoing reply with no padding, where the key starts. */
	private int keyOffsetInReply() {
		server.enqueue(MockReply.status(400).echoHeaders(0));
		PhosphoHttpExporter exporter = Clients.exporter(server).build();
		String[] message = new String[1];
		StepVerifier.create(exporter.export(List.of(task())))
				.expectErrorSatisfies(e -> message[0] = e.getMessage())
				.verify(BOUND);
		exporter.shutdown().block(BOUND);
		String reply = message[0].substring(message[0].indexOf(": ") + 2);
		int header = reply.indexOf("authorization: ");
		assertThat(header).as("the echo in %s", reply).isPositive();
		return header + "authorization: Bearer ".length();
	}

	private static LoggedTask task() {
		PhosphoClient c = PhosphoClient.create(ai.phospho.reactive.PhosphoOptions.builder()
				.exporter(new InMemoryTaskExporter()).shutdownHook(false).build());
		try {
			return c.log("question", "answer");
		}
		finally {
			c.shutdown().block(BOUND);
		}
	}

	@Test
	void aKeyEchoedAcrossTheCutOfAnErrorReplyIsInNoMessageAndNoLogLine() {
		try (LogCapture logs = new LogCapture()) {
			int offset = keyOffsetInReply();
			// Every place of the cut inside the key: 1 to all but one of its characters kept.
			for (int kept = 1; kept < KEY.length(); kept++) {
				int padding = CUT - kept - offset;
				server.enqueue(MockReply.status(400).echoHeaders(padding));
				PhosphoHttpExporter exporter = Clients.exporter(server).build();
				StepVerifier.create(exporter.export(List.of(task())))
						.expectErrorSatisfies(e -> {
							assertThat(e).isInstanceOf(PhosphoExportException.class);
							assertThat(e.getMessage()).contains("replied 400", "authorization: <");
							texts.add(e.getMessage());
							texts.add(e.toString());
						})
						.verify(BOUND);
				exporter.shutdown().block(BOUND);
			}
			assertThat(logs.lines()).anyMatch(l -> l.contains("refused POST"));
			texts.addAll(logs.lines());
		}
		assertNoPartOfKeyIn(texts);
	}

	@Test
	void aKeyEchoedInRetriedRefusedAndRejectedRepliesReachesNoStatsToStringLogOrFeedbackError() {
		try (LogCapture logs = new LogCapture()) {
			int padding = CUT - 12 - keyOffsetInReply();
			server.enqueue(MockReply.status(503).echoHeaders(padding), MockReply.status(422).echoHeaders(padding),
					MockReply.ok().rejectEvent(0, "echo").echoHeaders(padding),
					MockReply.status(403).echoHeaders(padding));
			PhosphoClient client = Clients.client(server);
			try {
				client.log("q1", "a1");
				StepVerifier.create(client.flush()).expectComplete().verify(BOUND);
				assertThat(client.stats().retried()).isEqualTo(1);
				assertThat(client.stats().failed()).isEqualTo(1);
				texts.add(String.valueOf(client.stats().lastError()));
				texts.add(client.stats().toString());

				client.log("q2", "a2");
				StepVerifier.create(client.flush()).expectComplete().verify(BOUND);
				assertThat(client.stats().rejected()).isEqualTo(1);

				StepVerifier.create(client.userFeedback("task_1", Flag.SUCCESS, null))
						.expectErrorSatisfies(e -> {
							assertThat(e).isInstanceOf(PhosphoExportException.class);
							assertThat(((PhosphoExportException) e).status()).isEqualTo(403);
							texts.add(e.getMessage());
							texts.add(e.toString());
						})
						.verify(BOUND);
				texts.add(client.toString());
			}
			finally {
				client.shutdown().block(BOUND);
			}
			assertThat(logs.lines()).anyMatch(l -> l.contains("the API rejected task"))
					.anyMatch(l -> l.contains("retrying in"))
					.anyMatch(l -> l.contains("could not be exported"));
			texts.addAll(logs.lines());
		}
		assertNoPartOfKeyIn(texts);
	}
}
