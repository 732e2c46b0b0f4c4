package ai.phospho.reactive.spring;

import java.util.List;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.TaskRedactor;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.export.TaskListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration of phospho, on unless {@code phospho.enabled=false}:
 *
 * <ul>
 * <li>a {@link PhosphoClient} from the {@link PhosphoProperties}, unless the application defines
 * its own; an application {@link TaskExporter} bean replaces the default exporter (the phospho API
 * with a key, the JSON Lines file without); every {@link TaskListener} bean is added to it;</li>
 * <li>the context's client, the application's or this one, is installed for the static
 * {@link Phospho} API when the context starts ({@link Phospho#use}), and flushed and shut down
 * when it stops, after the web server, for at most {@code phospho.shutdown-timeout};</li>
 * <li>the production controls of {@link PhosphoControlsProperties} (redaction, content mode, sampling,
 * test id) over those options; an application {@link TaskRedactor} bean runs after the masking of
 * {@code phospho.redaction.*};</li>
 * <li>with {@code phospho.web.context.enabled=true} in a WebFlux application, a
 * {@link PhosphoContextWebFilter} that takes the session and user from the request's headers;</li>
 * <li>with Micrometer, a {@link MeterBinder} for the {@code phospho.*} meters;</li>
 * <li>with the actuator, a {@link SanitizingFunction} that hides {@code phospho.api-key} in the
 * {@code env} and {@code configprops} endpoints even with {@code show-values: always}.</li>
 * </ul>
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "phospho.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ PhosphoProperties.class, PhosphoControlsProperties.class })
public class PhosphoAutoConfiguration {

	/**
	 * The client; no inferred destroy method, since {@code shutdown()} returns a {@code Mono} that
	 * must be subscribed: {@link PhosphoLifecycle} does it.
	 */
	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	PhosphoClient phosphoClient(PhosphoProperties properties, ObjectProvider<TaskExporter> exporter,
			ObjectProvider<TaskListener> listeners, PhosphoControlsProperties controls,
			ObjectProvider<TaskRedactor> redactor) {
		// Every TaskListener bean (PhosphoOtelAutoConfiguration's spans and metrics) hears every task.
		PhosphoOptions options = controls.applyTo(
				properties.toOptions(exporter.getIfAvailable(), listeners.orderedStream().toList()),
				redactor.getIfUnique());
		return properties.createClient(options);
	}

	@Bean
	@ConditionalOnMissingBean
	PhosphoLifecycle phosphoLifecycle(PhosphoClient client) {
		return new PhosphoLifecycle(client);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterRegistry.class, MeterBinder.class })
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		PhosphoMeterBinder phosphoMeterBinder(PhosphoClient client) {
			return new PhosphoMeterBinder(client);
		}
	}

	/** The opt-in WebFilter that takes the session and user from the request's headers. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebFilter.class)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnBooleanProperty(name = "phospho.web.context.enabled")
	static class WebContext {

		@Bean
		@ConditionalOnMissingBean
		PhosphoContextWebFilter phosphoContextWebFilter(PhosphoControlsProperties controls) {
			PhosphoControlsProperties.Context c = controls.getWeb().getContext();
			return new PhosphoContextWebFilter(c.getSessionHeader(), c.getUserHeader());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class Sanitizing {

		@Bean
		SanitizingFunction phosphoApiKeySanitizer() {
			return new PhosphoApiKeySanitizer();
		}
	}
}
