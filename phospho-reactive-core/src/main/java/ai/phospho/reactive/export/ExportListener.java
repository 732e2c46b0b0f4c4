package ai.phospho.reactive.export;

/**
 * What an exporter says about an export while it runs: the client counts retries and keeps the
 * last failure in {@code stats()}. Given to {@link TaskExporter#export(java.util.List, ExportListener)}
 * for each batch, so an exporter shared by two clients reports to the right one; an exporter that
 * never retries has nothing to say.
 */
public interface ExportListener {

	/** Listens to nothing. */
	ExportListener NONE = new ExportListener() {
		@Override
		public void retrying(String reason) {
		}

		@Override
		public void failed(String reason) {
		}
	};

	/** An attempt failed and will be retried; {@code reason} must hold no secret. */
	void retrying(String reason);

	/** Part of a batch failed for good (the rest is in the result); {@code reason} must hold no secret. */
	void failed(String reason);
}
