package ai.phospho.reactive.otel;

import java.nio.file.Path;

import ai.phospho.reactive.test.ModuleSurface;
import org.junit.jupiter.api.Test;

/** The module exports what the README's "API at a glance" lists for it. */
class ModuleSurfaceTest {

	@Test
	void theOtelModuleExportsWhatTheReadmeLists() {
		ModuleSurface.assertMatchesReadme(PhosphoOtel.class, Path.of("..", "README.md"));
	}
}
