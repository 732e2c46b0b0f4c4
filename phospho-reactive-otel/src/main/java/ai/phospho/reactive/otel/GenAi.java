package ai.phospho.reactive.otel;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The names of the OpenTelemetry GenAI semantic conventions used here (status: development, so
 * kept in one place), and phospho's own attributes.
 */
final class GenAi {

	static final String DEFAULT_OPERATION = "chat";

	static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
	static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
	static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
	static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
	static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
	static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
	static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
	static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
	static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
	static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
	static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
	static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("phospho.task_id");
	static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("phospho.session_id");
	static final AttributeKey<String> USER_ID = AttributeKey.stringKey("phospho.user_id");
	static final AttributeKey<String> VERSION_ID = AttributeKey.stringKey("phospho.version_id");
	/** {@code completed}, {@code stopped}, {@code cancelled} or {@code error}: says that a stream was cancelled. */
	static final AttributeKey<String> STREAM_STATUS = AttributeKey.stringKey("phospho.stream_status");
	static final String METADATA_PREFIX = "phospho.metadata.";

	static final String METRIC_DURATION = "gen_ai.client.operation.duration";
	static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
	static final String METRIC_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

	private GenAi() {
	}
}
