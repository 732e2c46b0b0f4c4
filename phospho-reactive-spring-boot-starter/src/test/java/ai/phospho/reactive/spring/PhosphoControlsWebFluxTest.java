package ai.phospho.reactive.spring;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoContext;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.TaskRedactor;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production controls in a running WebFlux application: the WebFilter puts the request's
 * session and user in the Context of the exchange, and {@code spring.reactor.context-propagation=auto}
 * carries them into a blocking call on boundedElastic; the properties set redaction, content mode
 * and sampling.
 */
class PhosphoControlsWebFluxTest {

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
				.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
						"spring.reactor.netty.shutdown-quiet-period=0s", "phospho.linger-delay=10ms")
				.properties(properties).run();
	}

	@Test
	void theWebFilterPutsTheHeadersSessionAndUserInTheContextOfTheWholeExchange() {
		try (ConfigurableApplicationContext context = start("phospho.web.context.enabled=true",
				"phospho.web.context.user-header=X-Account", "spring.reactor.context-propagation=auto",
				"phospho.redaction.emails=true", "phospho.content-mode=no-raw", "phospho.test-id=t-1")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			WebTestClient web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
					.responseTimeout(Duration.ofSeconds(5)).build();
			web.get().uri("/ask?q=mail+a@b.io").header("X-Session-Id", "s-42").header("X-Account", "acct-7")
					.exchange().expectStatus().isOk();
			web.get().uri("/ask?q=anonymous").exchange().expectStatus().isOk();

			PhosphoClient client = context.getBean(PhosphoClient.class);
			assertThat(client.options().contentMode()).isEqualTo(PhosphoOptions.ContentMode.NO_RAW);
			client.flush().block(Duration.ofSeconds(10));
			List<LoggedTask> tasks = context.getBean(InMemoryTaskExporter.class).tasks();
			assertThat(tasks).hasSize(4);
			// Two tasks per request: one in the handler, one in a blocking call on boundedElastic.
			assertThat(tasks).filteredOn(t -> "s-42".equals(t.sessionId())).hasSize(2).allSatisfy(t -> {
				assertThat(t.userId()).isEqualTo("acct-7");
				assertThat(t.input()).isEqualTo("mail <redacted>");
				assertThat(t.rawInput()).isNull();
				assertThat(t.testId()).isEqualTo("t-1");
			});
			assertThat(tasks).filteredOn(t -> t.input().equals("anonymous"))
					.allSatisfy(t -> assertThat(t.userId()).isNull()).hasSize(2);
		}
	}

	@Test
	void withoutTheOptInThereIsNoFilterAndABadSampleRateFailsTheStartNamingTheProperty() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBeanNamesForType(PhosphoContextWebFilter.class)).isEmpty();
		}
		assertThatThrownBy(() -> start("phospho.sampling.rate=2")).hasRootCauseInstanceOf(
				InvalidConfigurationPropertyValueException.class).rootCause()
				.hasMessage("Property phospho.sampling.rate with value '2.0' is invalid: must be between 0 and 1");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ReactorAutoConfiguration.class, CodecsAutoConfiguration.class,
			NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
			WebFluxAutoConfiguration.class, PhosphoAutoConfiguration.class })
	static class App {

		@Bean
		InMemoryTaskExporter inMemoryTaskExporter() {
			return new InMemoryTaskExporter();
		}

		/** An application redactor runs after the properties' masking. */
		@Bean
		TaskRedactor keepAll() {
			return t -> t;
		}

		@Bean
		RouterFunction<ServerResponse> ask() {
			return RouterFunctions.route().GET("/ask", request -> {
				String q = request.queryParam("q").orElse("");
				return Mono.fromCallable(() -> Phospho.log(q, "answer"))
						.flatMap(t -> Mono.fromCallable(() -> Phospho.log(q, "from a blocking call"))
								.subscribeOn(Schedulers.boundedElastic()))
						.flatMap(t -> ServerResponse.ok().bodyValue("ok"));
			}).build();
		}
	}
}
