package ai.phospho.reactive.examples;

import java.io.PrintStream;
import java.util.List;

import ai.phospho.reactive.LoggedTask;

/**
 * Runs every example of the guide in its order, printing for each what was logged, then where the
 * tasks went and the exporter's counters. {@code mvn -q -pl examples -am compile exec:java}.
 */
public final class RunAllExamples {

	/** The guide's sections, in order. */
	static final List<Example> ALL = List.of(
			new LogStrings(),
			new OpenAiQuery(),
			new MessageList(),
			new ConsecutiveRoles(),
			new CustomExtractors(),
			new LogMetadata(),
			new OpenAiStreaming(),
			new OllamaStreaming(),
			new WrapFunction(),
			new WrapWithMetadata(),
			new WrapImportedFunction(),
			new WrapStreamingFunction(),
			new SpringAiChatClient(),
			new LangChain4jChat());

	private RunAllExamples() {
	}

	public static void main(String[] args) throws Exception {
		PrintStream out = System.out;
		try (Llm llm = Llm.fromEnvironment(out)) {
			Examples.Session session = Examples.initPhospho(Examples.optionsFromEnvironment());
			int logged = runAll(out, llm, session);
			Examples.finish(out, session.client(), logged);
		}
	}

	/** Runs the examples in order, printing what each logged; returns how many tasks were logged. */
	static int runAll(PrintStream out, Llm llm, Examples.Session session) throws Exception {
		int logged = 0;
		for (Example example : ALL) {
			List<LoggedTask> tasks = Examples.run(example, llm, session);
			Examples.print(out, example, tasks);
			logged += tasks.size();
		}
		return logged;
	}
}
