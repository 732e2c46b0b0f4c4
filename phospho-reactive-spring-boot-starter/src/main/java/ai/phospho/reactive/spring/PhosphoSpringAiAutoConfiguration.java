package ai.phospho.reactive.spring;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.springai.PhosphoAdvisor;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring AI, when {@code phospho-reactive-spring-ai} and Spring AI's {@code ChatClient} are on the
 * class path: a {@link PhosphoAdvisor} bean on the context's {@link PhosphoClient}, added to every
 * {@code ChatClient.Builder} that Spring AI auto-configures unless {@code phospho.spring-ai.enabled=false}.
 */
@AutoConfiguration(after = PhosphoAutoConfiguration.class,
		beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass({ PhosphoAdvisor.class, ChatClient.class, ChatClientBuilderCustomizer.class })
@ConditionalOnBooleanProperty(name = "phospho.enabled", matchIfMissing = true)
@ConditionalOnBean(PhosphoClient.class)
public class PhosphoSpringAiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PhosphoAdvisor phosphoAdvisor(PhosphoClient client) {
		return PhosphoAdvisor.create(client);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "phospho.spring-ai.enabled", matchIfMissing = true)
	ChatClientBuilderCustomizer phosphoChatClientBuilderCustomizer(PhosphoAdvisor advisor) {
		return builder -> builder.defaultAdvisors(advisor);
	}
}
