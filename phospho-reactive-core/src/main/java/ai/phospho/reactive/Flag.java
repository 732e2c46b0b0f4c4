package ai.phospho.reactive;

/**
 * The evaluation of a task, sent as the event's {@code flag} ({@code "success"} or {@code "failure"}).
 */
public enum Flag {
	SUCCESS,
	FAILURE
}
