package ai.phospho.reactive.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.export.JsonLinesTaskExporter;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import ai.phospho.reactive.export.TaskExporter;

/** Set-up and reporting shared by the example programs. */
final class Examples {

	/**
	 * The system property naming the JSON Lines file when no phospho key is set. The Maven run
	 * ({@code exec:java}) sets it to {@code examples/target/phospho-tasks.jsonl}; otherwise the file
	 * is {@value PhosphoOptions#DEFAULT_JSON_LINES_FILE} in the working directory.
	 */
	static final String JSON_LINES_PROPERTY = "phospho.examples.jsonl";

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** The longest wait for an LLM call: a real model may take a while. */
	static final Duration TIMEOUT = Duration.ofMinutes(2);

	private Examples() {
	}

	/** The phospho client the examples log to, and what it exported. */
	record Session(PhosphoClient client, CapturingExporter exported) {
	}

	/** Runs one example as its own program: LLM, phospho, the example, then a report. */
	static void runAlone(Example example) throws Exception {
		PrintStream out = System.out;
		try (Llm llm = Llm.fromEnvironment(out)) {
			Session session = initPhospho(optionsFromEnvironment());
			List<LoggedTask> tasks = run(example, llm, session);
			print(out, example, tasks);
			finish(out, session.client(), tasks.size());
		}
	}

	/**
	 * {@code PHOSPHO_API_KEY}, {@code PHOSPHO_PROJECT_ID} and {@code PHOSPHO_BASE_URL}, and the JSON
	 * Lines file of {@link #JSON_LINES_PROPERTY} when that is set.
	 */
	static PhosphoOptionsBuilder optionsFromEnvironment() {
		PhosphoOptionsBuilder options = PhosphoOptions.fromEnvironment();
		String file = System.getProperty(JSON_LINES_PROPERTY);
		if (file != null && !file.isBlank()) {
			options.jsonLinesPath(Path.of(file));
		}
		return options;
	}

	/**
	 * Initialises the static API: the phospho API when {@code options} has a key, otherwise the JSON
	 * Lines file (or the exporter {@code options} names), captured so that the runner can print it.
	 */
	static Session initPhospho(PhosphoOptionsBuilder builder) {
		PhosphoOptions options = builder.shutdownHook(false).build();
		TaskExporter target = options.exporter() != null ? options.exporter()
				: options.apiKey() != null ? options.httpExporter().apply(PhosphoHttpExporter.builder()
						.apiKey(options.apiKey()).projectId(java.util.Objects.requireNonNull(options.projectId()))
						.baseUrl(options.baseUrl())).build()
				: JsonLinesTaskExporter.create(options.jsonLinesPath());
		CapturingExporter captured = new CapturingExporter(target);
		PhosphoClient client = Phospho.init(options.toBuilder().exporter(captured).build());
		return new Session(client, captured);
	}

	/** Runs {@code example} and returns the tasks it logged, once exported. */
	static List<LoggedTask> run(Example example, Llm llm, Session session) throws Exception {
		llm.expect(example.replays());
		example.run(llm);
		session.client().flush().block(WAIT);
		return session.exported().drain();
	}

	/** Prints what an example logged, as the guide shows it (a newline inside a text as {@code \n}). */
	static void print(PrintStream out, Example example, List<LoggedTask> tasks) {
		out.println();
		out.println("## " + example.title());
		for (LoggedTask t : tasks) {
			out.println("input: " + oneLine(t.input()));
			if (t.output() != null) {
				out.println("output: " + oneLine(t.output()));
			}
			if (t.systemPrompt() != null) {
				out.println("system_prompt: " + oneLine(t.systemPrompt()));
			}
			if (!t.metadata().isEmpty()) {
				out.println("metadata: " + t.metadata());
			}
			if (!t.extras().isEmpty()) {
				out.println("extra: " + t.extras());
			}
		}
	}

	private static String oneLine(String s) {
		return s.replace("\n", "\\n");
	}

	/** Flushes and shuts phospho down, then says where the tasks went and prints the exporter stats. */
	static void finish(PrintStream out, PhosphoClient client, int logged) {
		client.shutdown().block(WAIT);
		PhosphoStats stats = client.stats();
		out.println();
		PhosphoOptions options = client.options();
		String where = options.apiKey() != null
				? "the phospho API at " + options.baseUrl() + ", project " + options.projectId()
				: options.jsonLinesPath().toAbsolutePath() + " (set PHOSPHO_API_KEY and PHOSPHO_PROJECT_ID to send them to phospho)";
		out.println(logged + (logged == 1 ? " task" : " tasks") + " logged to " + where);
		out.println("exporter stats: exported=" + stats.exported() + " dropped=" + stats.dropped()
				+ " failed=" + stats.failed() + " rejected=" + stats.rejected() + " batches=" + stats.batches());
	}
}
