package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import ai.phospho.reactive.Flag;
import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.export.PhosphoExportException;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

import static ai.phospho.reactive.test.Clients.client;
import static org.assertj.core.api.Assertions.assertThat;

/** What the HTTP exporter puts on the wire, checked by the mock's strict validation. */
@ExtendWith(MockPhosphoServerExtension.class)
class HttpExporterWireTest {

	private PhosphoClient client;

	@AfterEach
	void shutDown() {
		if (client != null) {
			client.shutdown().block(Duration.ofSeconds(10));
		}
	}

	@Test
	void aTaskWithEveryFieldSetPassesTheBackendsStrictValidation(MockPhosphoServer server) {
		client = client(server);
		List<Map<String, Object>> messages = List.of(
				Map.of("role", "system", "content", "Be brief."),
				Map.of("role", "user", "content", "What is phospho?"));
		LoggedTask task = client.log(TaskLog.of(Map.of("model", "gpt-4o-mini", "messages", messages))
				.output(Map.of("model", "gpt-4o-mini",
						"choices", List.of(Map.of("message", Map.of("role", "assistant", "content", "A platform."))),
						"usage", Map.of("prompt_tokens", 12, "completion_tokens", 3, "total_tokens", 15)))
				.sessionId("session-1").taskId("task-1").userId("user-7").versionId("v2").flag(Flag.SUCCESS)
				.metadata(Map.of("always", "moooore", "n", 3))
				.put("log_anything_and_everything", List.of(1, "two", Map.of("three", 3.0))));
		client.log(TaskLog.of("streamed").output("a b").rawOutput(java.util.Arrays.asList("a", null, "b")));
		StepVerifier.create(client.flush()).verifyComplete();

		assertThat(client.stats().rejected()).isZero();
		assertThat(client.stats().exported()).isEqualTo(2);
		Map<String, Object> event = server.events().get(0);
		assertThat(event).containsEntry("task_id", "task-1").containsEntry("session_id", "session-1")
				.containsEntry("user_id", "user-7").containsEntry("version_id", "v2").containsEntry("flag", "success")
				.containsEntry("input", "What is phospho?").containsEntry("output", "A platform.")
				.containsEntry("system_prompt", "Be brief.").containsEntry("model", "gpt-4o-mini")
				.containsEntry("total_tokens", 15).containsEntry("project_id", server.projectId())
				.containsKeys("raw_input", "raw_output", "raw_input_type_name", "raw_output_type_name",
						"client_created_at", "environment", "metadata", "log_anything_and_everything");
		assertThat(event).isEqualTo(normalised(task.toMap()));
	}

	/**
	 * The reply shape of the phospho API ({@code {"logged_events": [event | {"error_in_log": msg}]}},
	 * one entry per event, the stored ones echoed): the text {@code error_in_log} in the user's own
	 * strings, as a key of the user's nested maps, as a key the user put on the event, and non-ASCII
	 * bytes right around it, must not be taken for refusals; the two events the server refused (one
	 * reason non-ASCII and quoting the key) are counted, and only they.
	 */
	@Test
	void refusalsAreCountedExactlyWhateverTheUsersTextSaysAboutErrorInLog(MockPhosphoServer server) {
		client = client(server);
		server.enqueue(MockReply.ok().rejectEvent(2, "quota reached — 配额已满 \"error_in_log\" 😀")
				.rejectEvent(5, "error_in_log"));
		client.log("é\"error_in_log\"中", "\"error_in_log\": 😀");
		client.log(TaskLog.of("nested").output("ok").metadata(Map.of("error_in_log", "é\"error_in_log\"é")));
		client.log("refused by the server", "é");
		client.log(TaskLog.of("a key of the user's own").output("ok").put("error_in_log", "not a refusal"));
		client.log(TaskLog.of(Map.of("error_in_log", List.of("ü", Map.of("error_in_log", "ß")))).output("raw map"));
		client.log("refused too", "ok");
		StepVerifier.create(client.flush()).verifyComplete();

		assertThat(server.requests()).hasSize(1);
		assertThat(client.stats().rejected()).as("%s", client.stats()).isEqualTo(2);
		assertThat(client.stats().exported()).as("%s", client.stats()).isEqualTo(4);
		assertThat(server.events()).extracting(e -> e.get("input")).containsExactly("é\"error_in_log\"中", "nested",
				"a key of the user's own", "{\"error_in_log\":[\"ü\",{\"error_in_log\":\"ß\"}]}");
		assertThat(server.events().get(2)).containsEntry("error_in_log", "not a refusal");
	}

	/**
	 * A real answer of qwen-plus (CJK, full-width punctuation, an emoji), verbatim: the reply recorded
	 * in JqyModi/MojiTalk-iOS, {@code docs/API.md} (the "返回示例" of the DashScope compatible-mode
	 * {@code /chat/completions} call), its {@code choices[0].message.content}.
	 */
	static final String QWEN_ANSWER = "你好！我是通义千问（Qwen），阿里巴巴集团旗下的超大规模语言模型。我可以回答问题、创作文字，"
			+ "比如写故事、写公文、写邮件、写剧本、逻辑推理、编程等等，还能表达观点，玩游戏等。如果你有任何问题或需要帮助，欢迎随时告诉我！😊";
	/** Derived: the answer above followed by a code block with quotes and newlines written by hand. */
	static final String QWEN_ANSWER_WITH_CODE = QWEN_ANSWER + "\n\n```python\nprint(\"你好，世界 🌍\")  # \\n is a \"newline\"\n```\n";

	/**
	 * Real LLM text through the real client and HTTP exporter to the mock server: every recording of
	 * the test kit (its sources in {@code openai/SOURCES.md}) as one text and line by line, and a real
	 * answer with CJK and an emoji (with a code block added by hand). The body sent is exactly what
	 * Jackson writes of each task's map (the writer's shortcuts change nothing), and the server
	 * parsed every event intact.
	 */
	@Test
	void realLlmTextIsWrittenAsJacksonWritesItsMapAndParsedIntact(MockPhosphoServer server) {
		client = client(server);
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		int requests = 0;
		int events = 0;
		for (ai.phospho.reactive.test.openai.Recording r : ai.phospho.reactive.test.openai.Recording.values()) {
			String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
			List<LoggedTask> tasks = new java.util.ArrayList<>();
			// The whole body, as input and output (the same long string: written once, copied).
			tasks.add(client.log(TaskLog.of(text).output(text).metadata(Map.of("recording", r.name()))));
			for (String line : text.split("\r?\n")) {
				if (line.isBlank()) {
					continue;
				}
				String data = line.startsWith("data: ") ? line.substring(6) : line;
				Object parsed = data;
				if (data.startsWith("{") && data.endsWith("}")) {
					// A line of a pretty-printed body is kept as text.
					parsed = json.readValue(data, Map.class);
				}
				tasks.add(client.log(TaskLog.of(line).output(parsed)));
			}
			if (r.name().equals("CHAT_COMPLETION")) {
				Map<?, ?> reply = json.readValue(text, Map.class);
				tasks.add(client.log(TaskLog.of(QWEN_ANSWER).output(QWEN_ANSWER_WITH_CODE).rawOutput(reply)));
				tasks.add(client.log(TaskLog.of(QWEN_ANSWER_WITH_CODE).output(QWEN_ANSWER_WITH_CODE)));
			}
			StepVerifier.create(client.flush()).verifyComplete();
			requests++;
			assertThat(server.requests()).as(r.name()).hasSize(requests);
			StringBuilder expected = new StringBuilder("{\"batched_log_events\":[");
			for (int i = 0; i < tasks.size(); i++) {
				expected.append(i == 0 ? "" : ",").append(json.writeValueAsString(tasks.get(i).toMap()));
			}
			expected.append("]}");
			assertThat(server.requests().get(requests - 1).body()).as(r.name()).isEqualTo(expected.toString());
			List<Map<String, Object>> stored = server.events();
			for (int i = 0; i < tasks.size(); i++) {
				assertThat(stored.get(events + i)).as("%s #%d", r.name(), i).isEqualTo(normalised(tasks.get(i).toMap()));
			}
			events += tasks.size();
		}
		assertThat(client.stats().rejected()).isZero();
		assertThat(client.stats().exported()).isEqualTo(events);
		assertThat(server.events()).hasSize(events);
		assertThat(server.events()).anySatisfy(e -> assertThat(e.get("output")).isEqualTo(QWEN_ANSWER_WITH_CODE));
	}

	/** The map a JSON round trip gives: numbers as parsed, nested maps and lists as plain ones. */
	private static Object normalised(Object value) {
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		return json.readValue(json.writeValueAsBytes(value), Map.class);
	}

	@Test
	void requestsCarryTheUserAgentAndJsonHeaders(MockPhosphoServer server) {
		client = client(server);
		client.log("in", "out");
		StepVerifier.create(client.flush()).verifyComplete();

		RecordedRequest r = server.requests().get(0);
		assertThat(r.header("user-agent")).startsWith("phospho-reactive/");
		assertThat(r.header("content-type")).isEqualTo("application/json");
		assertThat(r.header("accept")).isEqualTo("application/json");
		assertThat(r.header("content-encoding")).isNull();
		assertThat(r.header("content-length")).isEqualTo(String.valueOf(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
		assertThat(r.header("transfer-encoding")).isNull();
		assertThat(r.path()).isEqualTo("/v2/log/" + server.projectId());
	}

	@Test
	void gzipCompressesRequestBodiesWhenAskedTo(MockPhosphoServer server) {
		client = client(server, b -> b.httpExporter(http -> http.gzip(true)));
		String id = client.log("compressed " + "z".repeat(2_000), "out").taskId();
		StepVerifier.create(client.flush()).verifyComplete();

		assertThat(server.requests().get(0).header("content-encoding")).isEqualTo("gzip");
		assertThat(server.events()).extracting(e -> e.get("task_id")).containsExactly(id);
	}

	@Test
	void userFeedbackPostsTheHumanEvalOfTheTask(MockPhosphoServer server) {
		client = client(server);
		String id = client.log("in", "out").taskId();

		StepVerifier.create(client.userFeedback(id, Flag.FAILURE, "wrong answer")).verifyComplete();

		RecordedFeedback f = server.feedback().get(0);
		assertThat(f.taskId()).isEqualTo(id);
		assertThat(f.body()).containsExactly(Map.entry("human_eval", "failure"),
				Map.entry("project_id", server.projectId()), Map.entry("source", "user"),
				Map.entry("notes", "wrong answer"));
		assertThat(server.requests().get(0).path()).isEqualTo("/v2/tasks/" + id + "/human-eval");
	}

	@Test
	void userFeedbackIsRetriedOnTransientErrorsAndFailsOnARefusalWithoutTheKey(MockPhosphoServer server) {
		server.enqueue(MockReply.status(503), MockReply.status(401));
		String key = server.apiKey();
		client = client(server);

		StepVerifier.create(client.userFeedback("task_x", Flag.SUCCESS, null))
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PhosphoExportException.class)
						.hasMessageContaining("401").hasMessageNotContaining(key)
						.extracting(x -> ((PhosphoExportException) x).status()).isEqualTo(401))
				.verify(Duration.ofSeconds(5));
		assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(503, 401);

		StepVerifier.create(client.userFeedback("task_x", Flag.SUCCESS, null)).verifyComplete();
		assertThat(server.feedback()).singleElement().satisfies(f -> assertThat(f.body()).containsEntry("notes", null));
	}

	@Test
	void withAnotherExporterUserFeedbackGoesThroughTheClientsOwnApiClientWithTheHttpSettings(
			MockPhosphoServer server) {
		InMemoryTaskExporter tasks = new InMemoryTaskExporter();
		client = client(server, b -> b.exporter(tasks).httpExporter(http -> http.gzip(true)));

		StepVerifier.create(client.userFeedback("task_1", Flag.SUCCESS, "one")).verifyComplete();
		StepVerifier.create(client.userFeedback("task_2", Flag.FAILURE, "two")).verifyComplete();
		client.shutdown().block(Duration.ofSeconds(10));
		// Shut down, its API client is closed: a call still gets through, on one made for it.
		StepVerifier.create(client.userFeedback("task_3", Flag.SUCCESS, null)).verifyComplete();

		assertThat(server.feedback()).extracting(RecordedFeedback::taskId).containsExactly("task_1", "task_2", "task_3");
		assertThat(server.requests()).extracting(r -> r.header("content-encoding")).containsOnly("gzip");
		assertThat(tasks.tasks()).isEmpty();
	}

	@Test
	void theStaticFacadeSendsUserFeedbackThroughTheCurrentClient(MockPhosphoServer server) {
		Phospho.init(server.options().build());
		try {
			StepVerifier.create(Phospho.userFeedback("task_s", Flag.SUCCESS, "thanks")).verifyComplete();
			assertThat(server.feedback()).extracting(RecordedFeedback::taskId).containsExactly("task_s");
		}
		finally {
			Phospho.shutdown().block(Duration.ofSeconds(10));
		}
	}

	@Test
	void plainHttpToARemoteHostWarnsOnceThatTheKeyTravelsUnencrypted(MockPhosphoServer server) {
		try (LogCapture logs = new LogCapture()) {
			PhosphoHttpExporter loopback = Clients.exporter(server).build();
			assertThat(logs.phospho(Level.WARNING)).isEmpty();

			PhosphoHttpExporter remote = Clients.exporter(server)
					.baseUrl("http://phospho.example.com").build();
			assertThat(logs.phospho(Level.WARNING)).singleElement().asString()
					.contains("http://phospho.example.com", "unencrypted").doesNotContain(server.apiKey());
			loopback.shutdown().block(Duration.ofSeconds(5));
			remote.shutdown().block(Duration.ofSeconds(5));
		}
	}
}
