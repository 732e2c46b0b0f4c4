package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * JSON over HTTP for both clients: posts a body, turns a non-2xx reply into an
 * {@link OpenAiException}, and hands a 2xx body over whole or as the network delivers it.
 */
final class Transport {

	static final String USER_AGENT = "phospho-reactive";

	private final HttpClient http;
	private final String baseUrl;
	private final @Nullable String apiKey;
	private final Duration responseTimeout;

	Transport(HttpClient base, String baseUrl, @Nullable String apiKey, Map<String, String> headers,
			Duration connectTimeout, Duration responseTimeout) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
		this.responseTimeout = responseTimeout;
		Map<String, String> all = new LinkedHashMap<>(headers);
		String key = this.apiKey;
		this.http = base.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
						connectTimeout.toMillis()))
				.responseTimeout(responseTimeout)
				.headers(h -> {
					h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
					h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
					all.forEach(h::set);
					if (key != null) {
						h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + key);
					}
				});
	}

	String baseUrl() {
		return baseUrl;
	}

	boolean hasApiKey() {
		return apiKey != null;
	}

	/** The whole 2xx body of a POST. */
	Mono<byte[]> post(String path, Object body) {
		return request(path, body, "application/json")
				.responseSingle((res, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
						.flatMap(bytes -> isSuccess(res) ? Mono.just(bytes) : Mono.error(error(res, bytes))))
				.onErrorMap(ReadTimeoutException.class, e -> timeout(path));
	}

	/**
	 * The 2xx body of a POST, buffer by buffer, each read only when demanded: a slow subscriber
	 * slows the reading of the socket instead of filling memory. Cancelling closes the connection.
	 */
	<R> Flux<R> postStream(String path, Object body, String accept,
			BiFunction<HttpClientResponse, Flux<byte[]>, Publisher<R>> decode) {
		return request(path, body, accept).response((res, content) -> {
			if (!isSuccess(res)) {
				return content.aggregate().asByteArray().defaultIfEmpty(new byte[0])
						.flatMap(bytes -> Mono.<R>error(error(res, bytes)));
			}
			return decode.apply(res, content.asByteArray());
		}).onErrorMap(ReadTimeoutException.class, e -> timeout(path));
	}

	/**
	 * The error of a body that ended in the middle of a line: the connection closed before the
	 * response was whole (a server that delimits its body by closing the connection cannot say so).
	 */
	static java.io.EOFException prematureClose(int chars) {
		return new java.io.EOFException("Connection prematurely closed DURING response: the body ended in the middle "
				+ "of a line (" + chars + " chars of it)");
	}

	/** Netty's timeout says nothing of what timed out. */
	private TimeoutException timeout(String path) {
		return new TimeoutException("no bytes from " + baseUrl + path + " for " + responseTimeout
				+ " (responseTimeout)");
	}

	/** The error for a mid-stream error object. */
	OpenAiException midStreamError(int status, tools.jackson.databind.JsonNode node, @Nullable String requestId) {
		return OpenAiException.fromNode(status, node, requestId, apiKey, true);
	}

	private HttpClient.ResponseReceiver<?> request(String path, Object body, String accept) {
		return http.headers(h -> h.set(HttpHeaderNames.ACCEPT, accept))
				.post()
				.uri(baseUrl + path)
				.send(Mono.fromCallable(() -> Unpooled.wrappedBuffer(Json.MAPPER.writeValueAsBytes(body))));
	}

	private static boolean isSuccess(HttpClientResponse res) {
		int code = res.status().code();
		return code >= 200 && code < 300;
	}

	private OpenAiException error(HttpClientResponse res, byte[] body) {
		return OpenAiException.fromBody(res.status().code(), body, res.responseHeaders().get("x-request-id"), apiKey);
	}

	@Override
	public String toString() {
		return "baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "absent" : "set");
	}
}
