package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.test.openai.Recording;

/**
 * One section of the logging guide as a program: it logs through the static
 * {@link ai.phospho.reactive.Phospho} API, which the runner has initialised.
 */
interface Example {

	/** The section of the guide this example mirrors. */
	String title();

	/**
	 * The recorded answers to the LLM calls {@link #run} makes, in order, for when the calls go to
	 * the replay server; none by default.
	 */
	default List<Recording> replays() {
		return List.of();
	}

	/** Runs the example against {@code llm}; what it logs is read back from the exporter. */
	void run(Llm llm) throws Exception;
}
