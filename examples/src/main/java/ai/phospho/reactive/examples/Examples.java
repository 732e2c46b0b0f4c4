package ai.phospho.reactive.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;

/** Set-up and reporting shared by the example programs. */
final class Examples {

	private Examples() {
	}

	/** Runs one example as its own program: LLM, phospho, the example, then a report. */
	static void runAlone(Example example) throws Exception {
		try (Llm llm = Llm.fromEnvironment(System.out)) {
			PhosphoClient client = initPhospho(PhosphoOptions.fromEnvironment());
			List<LoggedTask> tasks = example.run(llm);
			print(System.out, example, tasks);
			finish(System.out, client, tasks.size());
		}
	}

	/**
	 * Initialises the static API: the phospho API when {@code PHOSPHO_API_KEY} and
	 * {@code PHOSPHO_PROJECT_ID} are set, otherwise the embedded JSON Lines file.
	 */
	static PhosphoClient initPhospho(PhosphoOptions.Builder options) {
		return Phospho.init(options.shutdownHook(false).build());
	}

	/** Prints what an example logged, as the guide shows it. */
	static void print(PrintStream out, Example example, List<LoggedTask> tasks) {
		out.println();
		out.println("## " + example.title());
		for (LoggedTask t : tasks) {
			out.println("input: " + t.input());
			if (t.output() != null) {
				out.println("output: " + t.output());
			}
			if (t.systemPrompt() != null) {
				out.println("system_prompt: " + t.systemPrompt());
			}
			if (!t.metadata().isEmpty()) {
				out.println("metadata: " + t.metadata());
			}
			if (!t.extras().isEmpty()) {
				out.println("extra: " + t.extras());
			}
		}
	}

	/** Flushes and shuts phospho down, then says where the tasks went and prints the exporter stats. */
	static void finish(PrintStream out, PhosphoClient client, int logged) {
		client.shutdown().block(Duration.ofSeconds(30));
		PhosphoStats stats = client.stats();
		out.println();
		PhosphoOptions options = client.options();
		String where = options.apiKey() != null
				? "the phospho API at " + options.baseUrl() + ", project " + options.projectId()
				: options.jsonLinesPath().toAbsolutePath() + " (set PHOSPHO_API_KEY and PHOSPHO_PROJECT_ID to send them to phospho)";
		out.println(logged + " tasks logged to " + where);
		out.println("exporter stats: exported=" + stats.exported() + " dropped=" + stats.dropped()
				+ " failed=" + stats.failed() + " rejected=" + stats.rejected() + " batches=" + stats.batches());
	}
}
