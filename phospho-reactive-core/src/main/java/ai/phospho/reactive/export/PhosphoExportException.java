package ai.phospho.reactive.export;

/**
 * An export or a user feedback that the phospho API refused or that could not reach it. Its message
 * carries the HTTP status and the server's reason, never the API key.
 *
 * <p>Made by the library only: its constructors are protected, for the library's own subclass.
 */
public class PhosphoExportException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	protected PhosphoExportException(int status, String message) {
		super(message);
		this.status = status;
	}

	protected PhosphoExportException(String message, Throwable cause) {
		super(message, cause);
		this.status = 0;
	}

	/** The HTTP status, or {@code 0} when no response was received. */
	public int status() {
		return status;
	}
}
