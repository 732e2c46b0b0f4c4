package ai.phospho.reactive.test;

import java.nio.file.Path;

import ai.phospho.reactive.Phospho;
import org.junit.jupiter.api.Test;

/** The core's and the test kit's modules export exactly what the README's "API at a glance" lists. */
class ModuleSurfaceTest {

	static final Path README = Path.of("..", "README.md");

	@Test
	void theCoreExportsWhatTheReadmeLists() {
		ModuleSurface.assertMatchesReadme(Phospho.class, README);
	}

	@Test
	void theTestKitExportsWhatTheReadmeLists() {
		ModuleSurface.assertMatchesReadme(PhosphoTestClient.class, README);
	}
}
