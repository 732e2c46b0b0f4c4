package ai.phospho.reactive.examples;

import java.util.Map;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.TaskLog;

/** "Custom extractors": functions that turn any object into the logged text. */
public final class CustomExtractors implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new CustomExtractors());
	}

	@Override
	public String title() {
		return "Custom extractors";
	}

	@Override
	public void run(Llm llm) {
		Phospho.log(TaskLog.of(Map.of("custom_input", "this is a complex object"))
				.output(Map.of("custom_output", "which is not a string nor a standard object"))
				// Custom extractors return a string
				.inputToString(x -> x.get("custom_input"))
				.outputToString(x -> x.get("custom_output")));
	}
}
