package ai.phospho.reactive;

/**
 * How an exporter tells the pipeline what happens inside one export: it travels in the Reactor
 * {@code Context} of the export's subscription, so an exporter shared by two clients reports to the
 * right one, and exporters that do not know it need nothing.
 */
interface ExportListener {

	/** The context key under which the pipeline puts its listener. */
	Object KEY = ExportListener.class;

	ExportListener NONE = new ExportListener() {
		@Override
		public void retrying(String reason) {
		}

		@Override
		public void failed(String reason) {
		}
	};

	/** An attempt failed and will be retried; {@code reason} holds no secret. */
	void retrying(String reason);

	/** Part of a batch failed for good; {@code reason} holds no secret. */
	void failed(String reason);
}
