package ai.phospho.reactive.openai;

import java.nio.file.Path;

import ai.phospho.reactive.test.ModuleSurface;
import org.junit.jupiter.api.Test;

/** The openai module exports exactly what the README's "API at a glance" lists. */
class ModuleSurfaceTest {

	@Test
	void theOpenAiModuleExportsWhatTheReadmeLists() {
		ModuleSurface.assertMatchesReadme(OpenAiClient.class, Path.of("..", "README.md"));
	}
}
