package ai.phospho.reactive.export;

/**
 * An export that the destination refused or that could not reach it. Its message carries the
 * HTTP status and the server's reason, never the API key.
 */
public class PhosphoExportException extends RuntimeException {

	private final int status;

	public PhosphoExportException(int status, String message) {
		super(message);
		this.status = status;
	}

	public PhosphoExportException(String message, Throwable cause) {
		super(message, cause);
		this.status = 0;
	}

	/** The HTTP status, or {@code 0} when no response was received. */
	public int status() {
		return status;
	}
}
