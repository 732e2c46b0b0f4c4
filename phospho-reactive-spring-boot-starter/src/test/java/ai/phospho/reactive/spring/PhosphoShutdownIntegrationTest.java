package ai.phospho.reactive.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing a running WebFlux application flushes the tasks of its last requests to the phospho API:
 * after the web server has stopped accepting connections, and before Reactor Netty's shared event
 * loops, which the HTTP exporter sends on, are disposed.
 */
class PhosphoShutdownIntegrationTest {

	private static final String KEY = "sk-shutdown-51b0e2";

	/** What the stand-in phospho API received: one entry per request. */
	private final List<Received> received = new CopyOnWriteArrayList<>();
	private volatile int webPort;

	@Test
	void closingTheApplicationSendsTheLastRequestsTasksAfterTheServerStops() throws IOException {
		HttpServer api = phosphoApi();
		try {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
					.web(WebApplicationType.REACTIVE)
					.properties("server.port=0", "server.address=127.0.0.1",
							"phospho.api-key=" + KEY, "phospho.project-id=proj-9",
							"phospho.base-url=http://127.0.0.1:" + api.getAddress().getPort(),
							// Nothing is exported before the flush at shutdown.
							"phospho.linger-delay=1h", "phospho.max-batch-size=100", "phospho.shutdown-timeout=5s",
							// Reactor Netty's event loops otherwise linger 2 s after the last task.
							"spring.reactor.netty.shutdown-quiet-period=0s", "spring.main.banner-mode=off")
					.run();
			PhosphoClient client = context.getBean(PhosphoClient.class);
			assertThat(client.toString()).contains("exporter=PhosphoHttpExporter{");
			assertThat(context.getBeanNamesForType(ReactorResourceFactory.class)).as("as in a full application")
					.isNotEmpty();
			try {
				webPort = ((WebServerApplicationContext) context).getWebServer().getPort();
				WebTestClient web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + webPort)
						.responseTimeout(Duration.ofSeconds(5)).build();
				for (String q : List.of("first-question", "last-question")) {
					web.post().uri("/echo").contentType(MediaType.TEXT_PLAIN).bodyValue(q).exchange()
							.expectStatus().isOk();
				}
				assertThat(received).as("still queued").isEmpty();
			}
			finally {
				context.close();
			}
			assertThat(client.isShutdown()).isTrue();
			assertThat(client.stats().exported()).as(client.stats().toString()).isEqualTo(2);
			assertThat(received).hasSize(1);
			Received batch = received.get(0);
			assertThat(batch.path()).isEqualTo("/v2/log/proj-9");
			assertThat(batch.authorization()).isEqualTo("Bearer " + KEY);
			assertThat(batch.body()).contains("first-question").contains("last-question");
			assertThat(batch.webServerAccepting()).as("web server accepting connections at the flush").isFalse();
		}
		finally {
			api.stop(0);
		}
	}

	/** A stand-in for the phospho API on the JDK's HTTP server, so that it does not share Netty's loops. */
	private HttpServer phosphoApi() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/v2/log/", exchange -> {
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			received.add(new Received(exchange.getRequestURI().getPath(),
					exchange.getRequestHeaders().getFirst("Authorization"), body, accepts(webPort)));
			byte[] reply = "{\"logged_events\":[]}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, reply.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(reply);
			}
		});
		server.start();
		return server;
	}

	private static boolean accepts(int port) {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException refused) {
			return false;
		}
	}

	private record Received(String path, String authorization, String body, boolean webServerAccepting) {
	}

	/** Only what a WebFlux server needs, to start fast; the full set runs in PhosphoActuatorIntegrationTest. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ReactorAutoConfiguration.class, CodecsAutoConfiguration.class,
			NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
			WebFluxAutoConfiguration.class, PhosphoAutoConfiguration.class })
	static class App {

		@Bean
		RouterFunction<ServerResponse> echo() {
			return RouterFunctions.route().POST("/echo", request -> request.bodyToMono(String.class)
					.doOnNext(in -> Phospho.log(in, in + "!"))
					.flatMap(in -> ServerResponse.ok().bodyValue(in + "!")))
					.build();
		}
	}
}
