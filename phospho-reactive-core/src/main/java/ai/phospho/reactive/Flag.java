package ai.phospho.reactive;

/**
 * The evaluation of a task, sent as the event's {@code flag}.
 */
public enum Flag {
	SUCCESS("success"),
	FAILURE("failure");

	private final String wire;

	Flag(String wire) {
		this.wire = wire;
	}

	/** The word the phospho API expects: {@code "success"} or {@code "failure"}. */
	public String wireValue() {
		return wire;
	}
}
