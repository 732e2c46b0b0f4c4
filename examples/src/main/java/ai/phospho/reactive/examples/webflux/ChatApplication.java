package ai.phospho.reactive.examples.webflux;

import ai.phospho.reactive.openai.OpenAiClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The WebFlux example: {@code POST /chat} with {@code {"message": "..."}} answers with the model's
 * text as Server-Sent Events ({@code data: {"text": "..."}}). The phospho starter configures the
 * {@code PhosphoClient} from {@code phospho.*} properties (the JSON Lines file without a key) and
 * installs it for the static {@code Phospho} API the handler uses.
 *
 * <pre>
 * OPENAI_API_KEY=sk-... mvn -q -pl examples -am compile exec:java \
 *     -Dexec.mainClass=ai.phospho.reactive.examples.webflux.ChatApplication
 * curl -N -H 'X-Session-Id: s-1' -H 'Content-Type: application/json' \
 *     -d '{"message":"Explain quantum computers in less than 20 words."}' localhost:8080/chat
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(ChatProperties.class)
public class ChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(ChatApplication.class, args);
	}

	/**
	 * The LLM client, from {@code examples.openai.*}. Built without {@code .phospho(..)}: the handler
	 * logs the stream itself, and a client that logged too would make each call two tasks.
	 */
	@Bean
	OpenAiClient openAiClient(ChatProperties properties) {
		OpenAiClient.Builder builder = OpenAiClient.builder().baseUrl(properties.baseUrl());
		if (properties.apiKey() != null) {
			builder.apiKey(properties.apiKey());
		}
		return builder.build();
	}

	@Bean
	ChatHandler chatHandler(OpenAiClient openAi, ChatProperties properties) {
		return new ChatHandler(openAi, properties.model());
	}

	@Bean
	RouterFunction<ServerResponse> chatRoutes(ChatHandler handler) {
		return RouterFunctions.route().POST("/chat", handler::chat).build();
	}
}
