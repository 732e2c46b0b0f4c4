package ai.phospho.reactive.examples;

import java.util.Map;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.TaskLog;

/** "Log metadata": a metadata map, and any extra key, logged with the task. */
public final class LogMetadata implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new LogMetadata());
	}

	@Override
	public String title() {
		return "Log metadata";
	}

	@Override
	public void run(Llm llm) {
		Phospho.log(TaskLog.of("log this")
				.output("and that")
				// There is a metadata field
				.metadata(Map.of("always", "moooore"))
				// Every extra key is logged too
				.put("log_anything_and_everything", "even this is ok"));
	}
}
