package ai.phospho.reactive.spring;

import ai.phospho.reactive.TaskRedactor;
import ai.phospho.reactive.otel.PhosphoOtel;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Every task also as an OpenTelemetry span and metrics ({@link PhosphoOtel}), when
 * {@code phospho-reactive-otel} is on the class path and the context has an {@link OpenTelemetry}
 * bean (Spring Boot's, or the application's); off with {@code phospho.otel.enabled=false}. Message
 * content is recorded with {@code phospho.otel.capture-content=true}. The {@link PhosphoOtel} bean
 * is a {@code TaskListener}: {@link PhosphoAutoConfiguration} adds it to the client.
 */
@AutoConfiguration(afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass({ PhosphoOtel.class, OpenTelemetry.class })
@ConditionalOnBooleanProperty(name = "phospho.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "phospho.otel.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(OpenTelemetry.class)
@EnableConfigurationProperties(PhosphoControlsProperties.class)
public class PhosphoOtelAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PhosphoOtel phosphoOtel(OpenTelemetry openTelemetry, Environment environment, PhosphoControlsProperties controls,
			ObjectProvider<TaskRedactor> redactor) {
		// Read here rather than in PhosphoProperties: the otel properties only exist with this module.
		boolean content = environment.getProperty("phospho.otel.capture-content", Boolean.class, false);
		// The span's content goes through the same redaction as the tasks the exporters see.
		return PhosphoOtel.builder(openTelemetry).captureContent(content)
				.redactor(controls.redactor(redactor.getIfUnique())).build();
	}
}
