package ai.phospho.reactive.otel;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import ai.phospho.reactive.PhosphoOptions;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;

/**
 * Spans straight to phospho's OTLP endpoint, {@code POST {baseUrl}/v3/otl/{projectId}} (OTLP/HTTP
 * protobuf, {@code Authorization: Bearer {apiKey}}), for an application that wants phospho without
 * the {@code /v2/log} exporter. Needs {@code opentelemetry-sdk} and {@code opentelemetry-exporter-otlp}
 * on the class path (optional dependencies of this module).
 *
 * <pre>{@code
 * OpenTelemetrySdk sdk = PhosphoOtlp.toPhospho(PhosphoOtlp.DEFAULT_BASE_URL, projectId, apiKey);
 * Phospho.init(PhosphoOptions.builder().exporter(PhosphoOtel.discardingExporter())
 *     .addTaskListener(PhosphoOtel.create(sdk)).build());
 * ...
 * sdk.shutdown();   // flushes the spans still batched
 * }</pre>
 *
 * <p>The OTLP exporter retries what can be retried (connection failures, 429, 502, 503, 504) with
 * the SDK's default {@link RetryPolicy}: 5 attempts, backoff from 1 s to 5 s. The key is sent in a
 * header only: the exporter's {@code toString()} does not show header values.
 */
public final class PhosphoOtlp {

	/** phospho's API. */
	public static final String DEFAULT_BASE_URL = PhosphoOptions.DEFAULT_BASE_URL;

	private PhosphoOtlp() {
	}

	/**
	 * An SDK whose spans go to phospho, batched ({@link BatchSpanProcessor}'s defaults); no metrics
	 * (phospho ingests spans). Shut it down at exit to send what is batched.
	 */
	public static OpenTelemetrySdk toPhospho(String baseUrl, String projectId, String apiKey) {
		SpanExporter exporter = spanExporter(baseUrl, projectId, apiKey);
		return OpenTelemetrySdk.builder()
				.setTracerProvider(SdkTracerProvider.builder()
						.addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build())
				.build();
	}

	/** As {@link #toPhospho(String, String, String)}, from {@code PHOSPHO_API_KEY}, {@code PHOSPHO_PROJECT_ID} and {@code PHOSPHO_BASE_URL}. */
	public static OpenTelemetrySdk toPhosphoFromEnvironment() {
		return toPhosphoFromEnvironment(System.getenv());
	}

	static OpenTelemetrySdk toPhosphoFromEnvironment(Map<String, String> env) {
		String key = nonBlank(env.get("PHOSPHO_API_KEY"));
		String project = nonBlank(env.get("PHOSPHO_PROJECT_ID"));
		if (key == null || project == null) {
			throw new IllegalStateException("toPhosphoFromEnvironment needs PHOSPHO_API_KEY and PHOSPHO_PROJECT_ID");
		}
		String base = nonBlank(env.get("PHOSPHO_BASE_URL"));
		return toPhospho(base == null ? DEFAULT_BASE_URL : base, project, key);
	}

	/** The span exporter to phospho, for an application that composes its own SDK. */
	public static SpanExporter spanExporter(String baseUrl, String projectId, String apiKey) {
		Objects.requireNonNull(baseUrl, "baseUrl");
		Objects.requireNonNull(projectId, "projectId");
		Objects.requireNonNull(apiKey, "apiKey");
		if (projectId.isBlank() || projectId.contains("/") || projectId.contains("?") || projectId.contains("#")) {
			throw new IllegalArgumentException("projectId must be a non-blank path segment, was \"" + projectId + '"');
		}
		for (int i = 0; i < apiKey.length(); i++) {
			char c = apiKey.charAt(i);
			if (c <= ' ' || c >= 0x7f) {
				// Never the key itself in the message.
				throw new IllegalArgumentException("apiKey must be printable ASCII without spaces");
			}
		}
		return OtlpHttpSpanExporter.builder()
				.setEndpoint(endpoint(baseUrl, projectId))
				.addHeader("Authorization", "Bearer " + apiKey)
				.setRetryPolicy(RetryPolicy.getDefault())
				.build();
	}

	/** {@code {baseUrl}/v3/otl/{projectId}}, a trailing slash of the base tolerated. */
	static String endpoint(String baseUrl, String projectId) {
		URI uri = URI.create(baseUrl);
		if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
			throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, was \"" + baseUrl + '"');
		}
		String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		return base + "/v3/otl/" + projectId;
	}

	private static @Nullable String nonBlank(@Nullable String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}
}
