package ai.phospho.reactive.spring;

import java.time.Duration;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running WebFlux application with the actuator's env, configprops and metrics endpoints exposed
 * and every value shown: the key stays hidden, and the static API logs through the context's client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"phospho.api-key=" + PhosphoActuatorIntegrationTest.KEY,
		"phospho.project-id=" + PhosphoActuatorIntegrationTest.PROJECT,
		"management.endpoints.web.exposure.include=env,configprops,metrics",
		"management.endpoint.env.show-values=always",
		"management.endpoint.configprops.show-values=always",
		"server.address=127.0.0.1" })
class PhosphoActuatorIntegrationTest {

	static final String KEY = "sk-live-7d3e55a0c1f94b";
	static final String PROJECT = "visible-project-8c2";

	@LocalServerPort
	int port;

	@Autowired
	PhosphoClient client;

	@Autowired
	InMemoryTaskExporter exporter;

	WebTestClient web;

	@BeforeEach
	void setUp() {
		web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(Duration.ofSeconds(5)).build();
	}

	@Test
	void theEnvEndpointShowsValuesButNotTheKey() {
		String env = get("/actuator/env");
		assertThat(env).as("values are shown").contains(PROJECT).contains("phospho.api-key");
		assertThat(env).doesNotContain(KEY);

		String one = get("/actuator/env/phospho.api-key");
		assertThat(one).contains("******").doesNotContain(KEY);
	}

	@Test
	void theConfigpropsEndpointShowsValuesButNotTheKey() {
		String all = get("/actuator/configprops");
		assertThat(all).as("values are shown").contains(PROJECT).contains("apiKey");
		assertThat(all).doesNotContain(KEY);

		String phospho = get("/actuator/configprops/phospho");
		assertThat(phospho).contains(PROJECT).contains("******").doesNotContain(KEY);
	}

	@Test
	void aRequestLogsThroughTheStaticApiToTheContextClientAndTheMetricsCountIt() {
		assertThat(client.options().exporter()).isSameAs(exporter);
		assertThat(Phospho.client()).isSameAs(client);
		long before = client.stats().exported();

		web.post().uri("/echo").contentType(MediaType.TEXT_PLAIN).bodyValue("ping")
				.exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("ping!");
		client.flush().block(Duration.ofSeconds(5));

		assertThat(exporter.tasks()).extracting(LoggedTask::input).contains("ping");
		assertThat(get("/actuator/metrics/phospho.tasks.exported"))
				.contains("\"value\":" + (double) (before + 1));
	}

	private String get(String path) {
		String body = web.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
				.returnResult().getResponseBody();
		assertThat(body).isNotNull();
		return body;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		/** With a key and a project the HTTP exporter would be used: tasks stay in memory instead. */
		@Bean
		InMemoryTaskExporter exporter() {
			return new InMemoryTaskExporter();
		}

		@Bean
		RouterFunction<ServerResponse> echo() {
			return RouterFunctions.route().POST("/echo", request -> request.bodyToMono(String.class)
					.map(in -> {
						Phospho.log(in, in + "!");
						return in + "!";
					})
					.flatMap(out -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue(out)))
					.build();
		}
	}
}
