package ai.phospho.reactive.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user reads when a {@code phospho.*} value is invalid: Boot's failure report. */
@ExtendWith(OutputCaptureExtension.class)
class PhosphoStartupFailureTest {

	@Test
	void anInvalidValueIsReportedWithThePropertyValueAndReason(CapturedOutput output) {
		SpringApplicationBuilder app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.properties("phospho.max-queue-size=0", "spring.main.banner-mode=off");
		assertThatThrownBy(app::run).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("Invalid value '0' for configuration property 'phospho.max-queue-size'")
				.contains("must be strictly positive, was 0");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(PhosphoAutoConfiguration.class)
	static class App {
	}
}
