package ai.phospho.reactive;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import ai.phospho.reactive.internal.Plain;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * Sends batches to the phospho API: {@code POST {baseUrl}/v2/log/{projectId}} with body
 * {@code {"batched_log_events": [...]}} and {@code Authorization: Bearer <key>}, over Reactor Netty
 * with a pooled, kept-alive connection.
 *
 * <p>A 2xx reply is read for its {@code logged_events}: entries with {@code error_in_log} are
 * counted as rejected. Any other reply, or no reply, fails the export with a
 * {@link PhosphoExportException} whose message never holds the key.
 */
public final class PhosphoHttpExporter implements TaskExporter {

	private static final byte[] PREFIX = "{\"batched_log_events\":[".getBytes(StandardCharsets.US_ASCII);
	private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);
	static final String USER_AGENT = "phospho-reactive/" + version();

	private final String logUri;
	private final ConnectionProvider provider;
	private final HttpClient client;

	private PhosphoHttpExporter(PhosphoOptions options) {
		String key = Objects.requireNonNull(options.apiKey(), "apiKey must be set for the phospho API");
		String project = Objects.requireNonNull(options.projectId(), "projectId must be set for the phospho API");
		String base = options.baseUrl();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		// URLEncoder encodes for forms: a space must be %20, not +, in a path segment.
		this.logUri = base + "/v2/log/" + URLEncoder.encode(project, StandardCharsets.UTF_8).replace("+", "%20");
		this.provider = ConnectionProvider.builder("phospho")
				.maxConnections(Math.max(2, options.maxConcurrentExports() * 2))
				.maxIdleTime(Duration.ofSeconds(30))
				.build();
		String authorization = "Bearer " + key;
		this.client = HttpClient.create(provider)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
				.responseTimeout(Duration.ofSeconds(30))
				.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, authorization)
						.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
						.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
						.set(HttpHeaderNames.USER_AGENT, USER_AGENT));
	}

	/** An exporter for the API, project and key of {@code options}. */
	public static PhosphoHttpExporter create(PhosphoOptions options) {
		return new PhosphoHttpExporter(Objects.requireNonNull(options, "options"));
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		return client.post()
				.uri(logUri)
				.send((request, out) -> out.send(Mono.fromSupplier(() -> body(out.alloc(), batch))))
				.responseSingle((response, content) -> {
					int status = response.status().code();
					if (status >= 200 && status < 300) {
						return content.asByteArray()
								.map(bytes -> result(bytes, batch.size()))
								.defaultIfEmpty(ExportResult.accepted(batch.size()));
					}
					return content.asString(StandardCharsets.UTF_8)
							.defaultIfEmpty("")
							.flatMap(text -> Mono.error(new PhosphoExportException(status,
									"phospho API replied " + status + " to " + logUri + ": " + abbreviate(text))));
				});
	}

	static ByteBuf body(ByteBufAllocator alloc, List<LoggedTask> batch) {
		int size = PREFIX.length + SUFFIX.length + batch.size();
		for (LoggedTask t : batch) {
			size += t.json().length;
		}
		ByteBuf buf = alloc.buffer(size);
		buf.writeBytes(PREFIX);
		for (int i = 0; i < batch.size(); i++) {
			if (i > 0) {
				buf.writeByte(',');
			}
			buf.writeBytes(batch.get(i).json());
		}
		buf.writeBytes(SUFFIX);
		return buf;
	}

	/** Counts the {@code error_in_log} entries of a {@code logged_events} reply. */
	static ExportResult result(byte[] reply, int size) {
		JsonNode events;
		try {
			events = Plain.mapper().readTree(reply).get("logged_events");
		}
		catch (RuntimeException e) {
			return ExportResult.accepted(size);
		}
		if (events == null || !events.isArray()) {
			return ExportResult.accepted(size);
		}
		int rejected = 0;
		for (JsonNode e : events) {
			if (e.has("error_in_log")) {
				rejected++;
			}
		}
		rejected = Math.min(rejected, size);
		return new ExportResult(size - rejected, rejected);
	}

	private static String abbreviate(String s) {
		return s.length() <= 500 ? s : s.substring(0, 500) + "...";
	}

	private static String version() {
		String v = PhosphoHttpExporter.class.getPackage().getImplementationVersion();
		return v != null ? v : "dev";
	}

	@Override
	public Mono<Void> shutdown() {
		return provider.disposeLater();
	}

	@Override
	public String toString() {
		return "PhosphoHttpExporter{uri=" + logUri + '}';
	}
}
