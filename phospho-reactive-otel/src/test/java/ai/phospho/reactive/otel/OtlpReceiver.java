package ai.phospho.reactive.otel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real OTLP/HTTP protobuf receiver on 127.0.0.1 (Reactor Netty): records each request's path and
 * {@code Authorization} header, and the spans it carried, decoded with opentelemetry-proto.
 */
final class OtlpReceiver implements AutoCloseable {

	/** One span as received, with its attributes as strings, and how it came. */
	record Received(String path, @Nullable String authorization, Span span, Map<String, String> attributes) {
	}

	final List<Received> spans = new CopyOnWriteArrayList<>();
	final Map<String, Integer> requestsByPath = new ConcurrentHashMap<>();
	private final DisposableServer server;

	private OtlpReceiver(int port) {
		server = HttpServer.create().host("127.0.0.1").port(port)
				.handle((req, res) -> req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
						.flatMap(body -> {
							String path = req.path().isEmpty() ? "/" : '/' + req.path();
							requestsByPath.merge(path, 1, Integer::sum);
							String auth = req.requestHeaders().get("Authorization");
							try {
								for (var rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
									for (var ss : rs.getScopeSpansList()) {
										for (Span s : ss.getSpansList()) {
											spans.add(new Received(path, auth, s, attributes(s.getAttributesList())));
										}
									}
								}
							}
							catch (Exception e) {
								return res.status(400).send().then();
							}
							return res.header("Content-Type", "application/x-protobuf")
									.sendByteArray(Mono.just(ExportTraceServiceResponse.getDefaultInstance().toByteArray()))
									.then();
						}))
				.bindNow(Duration.ofSeconds(5));
	}

	static OtlpReceiver start() {
		return new OtlpReceiver(0);
	}

	static OtlpReceiver start(int port) {
		return new OtlpReceiver(port);
	}

	/** A loopback port that was free a moment ago. */
	static int freePort() {
		DisposableServer s = HttpServer.create().host("127.0.0.1").port(0).handle((req, res) -> res.send())
				.bindNow(Duration.ofSeconds(5));
		int port = s.port();
		s.disposeNow(Duration.ofSeconds(5));
		return port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.port();
	}

	private static Map<String, String> attributes(List<KeyValue> kvs) {
		return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> {
			var v = kv.getValue();
			return switch (v.getValueCase()) {
				case STRING_VALUE -> v.getStringValue();
				case INT_VALUE -> Long.toString(v.getIntValue());
				case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
				case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
				case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(a -> a.getStringValue())
						.collect(Collectors.joining(",", "[", "]"));
				default -> v.toString();
			};
		}, (a, b) -> b));
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}
}
