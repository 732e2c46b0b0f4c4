package ai.phospho.reactive.spring;

import ai.phospho.reactive.PhosphoContext;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Puts the session and user of each request, read from its headers, in the Reactor Context for the
 * whole exchange ({@link PhosphoContext}): every task logged while handling it carries them. Opt-in
 * with {@code phospho.web.context.enabled=true}. Header values are client input: blank ones are
 * ignored and long ones cut to {@value #MAX_CHARS} characters.
 */
public class PhosphoContextWebFilter implements WebFilter, Ordered {

	/** The longest id taken from a header. */
	static final int MAX_CHARS = 256;

	private final String sessionHeader;
	private final String userHeader;

	public PhosphoContextWebFilter(String sessionHeader, String userHeader) {
		this.sessionHeader = sessionHeader;
		this.userHeader = userHeader;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String session = header(exchange, sessionHeader);
		String user = header(exchange, userHeader);
		PhosphoContext.Values values = session == null ? null : PhosphoContext.session(session);
		if (user != null) {
			values = values == null ? PhosphoContext.user(user) : values.user(user);
		}
		return values == null ? chain.filter(exchange) : chain.filter(exchange).contextWrite(values);
	}

	private static @Nullable String header(ServerWebExchange exchange, String name) {
		String v = exchange.getRequest().getHeaders().getFirst(name);
		if (v == null || v.isBlank()) {
			return null;
		}
		v = v.strip();
		return v.length() > MAX_CHARS ? v.substring(0, MAX_CHARS) : v;
	}

	/** Early, so that the filters and handlers after it see the values. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}
}
