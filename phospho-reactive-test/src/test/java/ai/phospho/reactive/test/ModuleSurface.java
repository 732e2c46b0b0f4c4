package ai.phospho.reactive.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a module of this project against the README's "API at a glance" table: the packages its
 * {@code module-info} exports (without qualification) and the public top-level types in each are
 * exactly the table's rows for that module. Shared with the other modules' tests as a test jar.
 */
public final class ModuleSurface {

	private static final Pattern ROW = Pattern.compile("^\\| `([\\w.]+)` \\([\\w-]+\\) \\| `([\\w.]+)` \\| (.+) \\|$");
	private static final Pattern TYPE = Pattern.compile("`(\\w+)`");

	private ModuleSurface() {
	}

	/** Asserts that the module holding {@code anyClass} exports what {@code readme} lists for it. */
	public static void assertMatchesReadme(Class<?> anyClass, Path readme) {
		Path location = location(anyClass);
		ModuleDescriptor module = descriptor(location);
		Map<String, Set<String>> listed = listed(readme, module.name());
		assertThat(listed).as("README rows for module %s", module.name()).isNotEmpty();

		Set<String> exported = new TreeSet<>();
		for (ModuleDescriptor.Exports e : module.exports()) {
			assertThat(e.isQualified()).as("%s exports %s only to %s", module.name(), e.source(), e.targets())
					.isFalse();
			exported.add(e.source());
		}
		assertThat(exported).as("packages exported by %s", module.name()).isEqualTo(listed.keySet());
		for (Map.Entry<String, Set<String>> p : listed.entrySet()) {
			assertThat(publicTypes(anyClass.getClassLoader(), location, p.getKey()))
					.as("public types of %s", p.getKey()).isEqualTo(p.getValue());
		}
	}

	/** The README's rows for {@code module}: package to type names. */
	static Map<String, Set<String>> listed(Path readme, String module) {
		Map<String, Set<String>> out = new TreeMap<>();
		try {
			for (String line : Files.readAllLines(readme)) {
				Matcher m = ROW.matcher(line.strip());
				if (m.matches() && m.group(1).equals(module)) {
					Set<String> types = new TreeSet<>();
					Matcher t = TYPE.matcher(m.group(3));
					while (t.find()) {
						types.add(t.group(1));
					}
					out.put(m.group(2), types);
				}
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return out;
	}

	private static Path location(Class<?> anyClass) {
		try {
			return Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	private static ModuleDescriptor descriptor(Path location) {
		return withRoot(location, root -> {
			try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
				return ModuleDescriptor.read(in);
			}
		});
	}

	private static Set<String> publicTypes(ClassLoader loader, Path location, String pkg) {
		return withRoot(location, root -> {
			Set<String> out = new TreeSet<>();
			try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
				for (Path f : (Iterable<Path>) files::iterator) {
					String name = f.getFileName().toString();
					if (!name.endsWith(".class") || name.contains("$") || name.equals("package-info.class")) {
						continue;
					}
					String simple = name.substring(0, name.length() - ".class".length());
					Class<?> type = Class.forName(pkg + "." + simple, false, loader);
					if (Modifier.isPublic(type.getModifiers())) {
						out.add(simple);
					}
				}
			}
			return out;
		});
	}

	private interface RootReader<T> {
		T read(Path root) throws IOException, ReflectiveOperationException;
	}

	/** Reads a classes directory, or a jar as a file system. */
	private static <T> T withRoot(Path location, RootReader<T> reader) {
		try {
			if (Files.isDirectory(location)) {
				return reader.read(location);
			}
			try (FileSystem jar = FileSystems.newFileSystem(location)) {
				return reader.read(jar.getPath("/"));
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (ReflectiveOperationException e) {
			throw new IllegalStateException(e);
		}
	}
}
