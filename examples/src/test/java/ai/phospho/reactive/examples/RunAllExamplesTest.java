package ai.phospho.reactive.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.PhosphoOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static ai.phospho.reactive.examples.ExamplesTest.ANSWER;
import static ai.phospho.reactive.examples.ExamplesTest.QUESTION;
import static ai.phospho.reactive.examples.ExamplesTest.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** All the examples in one run: what is printed, and what lands in the JSON Lines file. */
class RunAllExamplesTest {

	private static final String GUIDE_BLOCK = "input: " + QUESTION + "\noutput: " + ANSWER + "\nsystem_prompt: " + SYSTEM
			+ "\n";

	@Test
	void runningThemAllPrintsTheGuidesLinesAndWritesEveryTaskToTheJsonLinesFile(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("tasks.jsonl");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		try (Llm llm = Llm.of(Map.of(), out)) {
			Examples.Session session = Examples.initPhospho(PhosphoOptions.builder().jsonLinesPath(file)
					.lingerDelay(Duration.ofMillis(5)));
			int logged = RunAllExamples.runAll(out, llm, session);
			Examples.finish(out, session.client(), logged);
			assertThat(logged).isEqualTo(RunAllExamples.ALL.size());
		}
		String printed = bytes.toString(StandardCharsets.UTF_8);
		assertPrintedRun(printed, file);
	}

	@Test
	void theProgramWithoutKeysReplaysAndWritesToTheFileOfTheSystemProperty(@TempDir Path dir) throws Exception {
		assumeTrue(System.getenv("PHOSPHO_API_KEY") == null && System.getenv("OPENAI_API_KEY") == null
				&& System.getenv("OPENAI_BASE_URL") == null && System.getenv("OLLAMA_BASE_URL") == null,
				"runs only where no key or LLM server is set in the environment");
		Path file = dir.resolve("run.jsonl");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream stdout = System.out;
		System.setProperty(Examples.JSON_LINES_PROPERTY, file.toString());
		try {
			System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
			RunAllExamples.main(new String[0]);
		}
		finally {
			System.setOut(stdout);
			System.clearProperty(Examples.JSON_LINES_PROPERTY);
		}
		assertPrintedRun(bytes.toString(StandardCharsets.UTF_8), file);
	}

	private static void assertPrintedRun(String printed, Path file) throws Exception {
		List<String> lines = printed.lines().toList();
		assertThat(lines.get(0)).startsWith("No OPENAI_API_KEY, OPENAI_BASE_URL or OLLAMA_BASE_URL set: LLM calls are "
				+ "answered by a local OpenAI-compatible server replaying recorded responses, at http://127.0.0.1:");
		assertThat(printed)
				.contains("## Log with Phospho.log\ninput: Hello! This is what the user asked to the system\n"
						+ "output: This is the response showed to the user by the app.\n")
				.contains("## Log OpenAI queries and responses\n" + GUIDE_BLOCK)
				.contains("## Log a list of OpenAI messages\n" + GUIDE_BLOCK)
				.contains("input: " + QUESTION + "\\nWhat is the speed of light?\n")
				.contains("input: this is a complex object\noutput: which is not a string nor a standard object\n")
				.contains("input: log this\noutput: and that\nmetadata: {always=moooore}\n")
				.contains("## OpenAI streaming\n" + GUIDE_BLOCK)
				.contains("## Local Ollama streaming, with a stop rule\ninput: " + QUESTION + "\noutput: " + ANSWER + "\n")
				.contains("## Wrap functions with Phospho.wrap\n" + GUIDE_BLOCK)
				.contains("## Wrap a streaming function\n" + GUIDE_BLOCK)
				.contains("## Spring AI ChatClient\n" + GUIDE_BLOCK)
				.contains("## LangChain4j streaming chat model\n" + GUIDE_BLOCK);
		int n = RunAllExamples.ALL.size();
		assertThat(lines.get(lines.size() - 2)).isEqualTo(n + " tasks logged to " + file.toAbsolutePath()
				+ " (set PHOSPHO_API_KEY and PHOSPHO_PROJECT_ID to send them to phospho)");
		assertThat(lines.get(lines.size() - 1)).startsWith("exporter stats: exported=" + n
				+ " dropped=0 failed=0 rejected=0 batches=");

		JsonMapper json = JsonMapper.builder().build();
		List<JsonNode> tasks = Files.readAllLines(file).stream().map(json::readTree).toList();
		assertThat(tasks).hasSize(n);
		assertThat(tasks.get(0).get("input").asString()).isEqualTo("Hello! This is what the user asked to the system");
		assertThat(tasks.get(1).get("input").asString()).isEqualTo(QUESTION);
		assertThat(tasks.get(1).get("output").asString()).isEqualTo(ANSWER);
		assertThat(tasks.stream().filter(t -> ANSWER.equals(t.path("output").asString(null))).count())
				.as("every call to the LLM").isEqualTo(10);
	}
}
