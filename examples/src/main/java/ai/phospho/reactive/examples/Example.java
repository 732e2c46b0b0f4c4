package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.LoggedTask;

/** One section of the logging guide as a program: it logs through the static {@link ai.phospho.reactive.Phospho} API. */
interface Example {

	/** The section of the guide this example mirrors. */
	String title();

	/** Runs the example against {@code llm}, returning the tasks it logged. */
	List<LoggedTask> run(Llm llm) throws Exception;
}
