package ai.phospho.reactive.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading requests for {@link MockPhosphoServer}: JSON, gzip, headers. */
final class MockWire {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private MockWire() {
	}

	/** The events of a log body, parsed leniently for the record; empty when unreadable. */
	static List<Map<String, @Nullable Object>> parseEvents(byte[] body) {
		try {
			JsonNode events = JSON.readTree(body).get("batched_log_events");
			if (events == null || !events.isArray()) {
				return List.of();
			}
			List<Map<String, @Nullable Object>> out = new ArrayList<>();
			for (JsonNode e : events) {
				out.add(e.isObject() ? toMap(e) : Map.of());
			}
			return List.copyOf(out);
		}
		catch (RuntimeException e) {
			return List.of();
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, @Nullable Object> toMap(JsonNode object) {
		return JSON.treeToValue(object, LinkedHashMap.class);
	}

	static byte[] decode(HttpServerRequest req, byte[] raw) {
		String encoding = req.requestHeaders().get(HttpHeaderNames.CONTENT_ENCODING);
		if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
			return raw;
		}
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException("the body is not valid gzip", e);
		}
	}

	/** {@code padding} filler characters, then every request header as {@code name: value}, one per line. */
	static String echo(HttpServerRequest req, int padding) {
		StringBuilder text = new StringBuilder("-".repeat(padding));
		for (Map.Entry<String, String> h : req.requestHeaders()) {
			text.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
		}
		return text.toString();
	}

	static Map<String, List<String>> headers(HttpServerRequest req) {
		Map<String, List<String>> out = new LinkedHashMap<>();
		for (Map.Entry<String, String> h : req.requestHeaders()) {
			out.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
		}
		out.replaceAll((k, v) -> List.copyOf(v));
		return Map.copyOf(out);
	}

}
