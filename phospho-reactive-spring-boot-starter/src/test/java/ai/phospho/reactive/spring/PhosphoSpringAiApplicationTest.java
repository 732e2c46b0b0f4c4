package ai.phospho.reactive.spring;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.springai.PhosphoAdvisor;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with Spring AI's {@code ChatClient} auto-configuration, an OpenAI chat
 * model, this starter and {@code phospho-reactive-spring-ai}: with nothing else configured, every call
 * of a {@code ChatClient} built from the auto-configured builder is logged.
 */
class PhosphoSpringAiApplicationTest {

	static final String ANSWER = "Qubits harness quantum physics for faster, more powerful computation.";

	final MockOpenAiServer openAi = MockOpenAiServer.start();

	@AfterEach
	void close() {
		openAi.close();
	}

	@Test
	void everyAutoConfiguredChatClientLogsItsCalls() {
		openAi.enqueue(Recording.CHAT_COMPLETION);
		try (ConfigurableApplicationContext context = start()) {
			ChatClient chat = context.getBean(ChatClient.Builder.class).build();

			assertThat(chat.prompt().user("Explain quantum computers in less than 20 words.").call().content())
				.isEqualTo(ANSWER);

			List<LoggedTask> tasks = tasks(context);
			assertThat(tasks).hasSize(1);
			assertThat(tasks.get(0).input()).isEqualTo("Explain quantum computers in less than 20 words.");
			assertThat(tasks.get(0).output()).isEqualTo(ANSWER);
			assertThat(tasks.get(0).model()).isEqualTo("gpt-4o-mini-2024-07-18");
			assertThat(context.getBean(PhosphoAdvisor.class)).isNotNull();
		}
	}

	@Test
	void theAdvisorIsNotAddedWhenSpringAiLoggingIsDisabled() {
		openAi.enqueue(Recording.CHAT_COMPLETION);
		try (ConfigurableApplicationContext context = start("phospho.spring-ai.enabled=false")) {
			ChatClient chat = context.getBean(ChatClient.Builder.class).build();

			assertThat(chat.prompt().user("Hello").call().content()).isEqualTo(ANSWER);

			assertThat(tasks(context)).isEmpty();
			assertThat(context.getBeansOfType(PhosphoAdvisor.class)).as("still a bean to add by hand").hasSize(1);
		}
	}

	private ConfigurableApplicationContext start(String... extra) {
		return new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("test.openai.base-url=" + openAi.baseUrl(), "phospho.linger-delay=10ms")
			.properties(extra)
			.run();
	}

	private static List<LoggedTask> tasks(ConfigurableApplicationContext context) {
		context.getBean(PhosphoClient.class).flush().block(Duration.ofSeconds(5));
		return context.getBean(InMemoryTaskExporter.class).tasks();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		InMemoryTaskExporter exporter() {
			return new InMemoryTaskExporter();
		}

		@Bean
		OpenAiChatModel chatModel(@Value("${test.openai.base-url}") String baseUrl) {
			return OpenAiChatModel.builder()
				.options(OpenAiChatOptions.builder().baseUrl(baseUrl).apiKey("sk-test-key").model("gpt-4o-mini").build())
				.build();
		}
	}
}
