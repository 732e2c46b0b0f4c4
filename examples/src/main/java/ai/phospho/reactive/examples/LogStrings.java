package ai.phospho.reactive.examples;

import ai.phospho.reactive.Phospho;

/** "Log with phospho.log": any string input and output. */
public final class LogStrings implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new LogStrings());
	}

	@Override
	public String title() {
		return "Log with Phospho.log";
	}

	@Override
	public void run(Llm llm) {
		String inputText = "Hello! This is what the user asked to the system";
		String outputText = "This is the response showed to the user by the app.";

		// This is how you log a task to phospho
		Phospho.log(inputText, outputText);
	}
}
