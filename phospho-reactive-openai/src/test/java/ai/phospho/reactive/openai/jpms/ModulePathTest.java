package ai.phospho.reactive.openai.jpms;

import java.io.File;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoContext;
import ai.phospho.reactive.openai.ChatCompletion;
import ai.phospho.reactive.openai.ChatCompletionChunk;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.OpenAiClient;
import ai.phospho.reactive.test.PhosphoTestClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The openai module on the module path, as its {@code module-info} offers it: the client writes its
 * request and reads the reply and the stream's chunks, and the stream's typed chunks are written as
 * the task's raw output. The other tests of this module run on the class path.
 */
class ModulePathTest {

	/** The optional official SDK and its Jackson 2: left out, as an application without them has it. */
	private static final Set<String> LEFT_OUT = Set.of("openai.java.core", "com.fasterxml.jackson.core",
			"com.fasterxml.jackson.databind");

	@Test
	void theClientWorksOnTheModulePath() throws Exception {
		String out = probe(LEFT_OUT);
		// With context-propagation there, the phospho values follow the Reactor Context onto threads.
		assertThat(out).contains("context-propagation: s-module");
	}

	/**
	 * Without the optional context-propagation, the modules still resolve: a {@code provides} of its
	 * service made the boot layer fail ("does not read a module that exports io.micrometer.context").
	 */
	@Test
	void theClientWorksOnTheModulePathWithoutContextPropagation() throws Exception {
		Set<String> leftOut = new LinkedHashSet<>(LEFT_OUT);
		leftOut.add("context.propagation");
		String out = probe(leftOut);
		assertThat(out).contains("context-propagation: absent");
	}

	/** Runs {@link Probe} in a child JVM, the modules the roots need on its module path but {@code leftOut}. */
	private static String probe(Set<String> leftOut) throws Exception {
		Map<String, Path> modules = new LinkedHashMap<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path p = Path.of(entry);
			if (!Files.exists(p)) {
				continue;
			}
			try {
				for (ModuleReference r : ModuleFinder.of(p).findAll()) {
					modules.putIfAbsent(r.descriptor().name(), p);
				}
			}
			catch (FindException e) {
				// Not a module (a test-classes directory, a jar without a valid module name).
			}
		}
		// The modules the two roots need (their optional ones too, when present); reactor-netty, an
		// automatic module, declares none: netty's modules are all taken.
		Set<String> needed = new LinkedHashSet<>();
		Deque<String> todo = new ArrayDeque<>(List.of("ai.phospho.reactive.openai", "ai.phospho.reactive.test"));
		modules.keySet().stream().filter(n -> n.startsWith("io.netty.")).forEach(todo::add);
		while (!todo.isEmpty()) {
			String name = todo.pop();
			Path p = modules.get(name);
			if (p == null || leftOut.contains(name) || !needed.add(name)) {
				continue;
			}
			ModuleDescriptor d = ModuleFinder.of(p).find(name).orElseThrow().descriptor();
			for (ModuleDescriptor.Requires r : d.requires()) {
				todo.add(r.name());
			}
		}
		StringBuilder modulePath = new StringBuilder();
		for (String name : needed) {
			modulePath.append(modulePath.length() == 0 ? "" : File.pathSeparator).append(modules.get(name));
		}
		String classes = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"--module-path", modulePath.toString(), "--add-modules", "ALL-MODULE-PATH",
				"-cp", classes, Probe.class.getName()).redirectErrorStream(true).start();
		String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(out).as("the child's output").contains("module ai.phospho.reactive.openai").contains("PROBE OK");
		assertThat(child.exitValue()).as(out).isZero();
		assertThat(needed.contains("context.propagation")).isEqualTo(!leftOut.contains("context.propagation"));
		return out;
	}

	/** Run in the child, on the class path, the libraries on the module path. */
	public static final class Probe {
		public static void main(String[] args) {
			System.out.println("client in " + OpenAiClient.class.getModule());
			try (MockOpenAiServer server = MockOpenAiServer.start(); PhosphoTestClient fx = PhosphoTestClient.create()) {
				OpenAiClient client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
						.phospho(fx.client()).build();
				ChatCompletionRequest request = ChatCompletionRequest.builder("gpt-4o-mini").user("Hi").build();
				server.enqueue(Recording.CHAT_COMPLETION);
				ChatCompletion c = client.chat(request).block(Duration.ofSeconds(10));
				server.enqueue(Recording.CHAT_STREAM);
				List<ChatCompletionChunk> chunks = client.chatStream(request).collectList().block(Duration.ofSeconds(10));
				// The chunks logged as a stream of records: its raw output is written by the module's extractor.
				Flux.fromIterable(chunks).transform(fx.client().logStream("typed chunks")).blockLast(Duration.ofSeconds(10));
				List<LoggedTask> tasks = fx.awaitTasks(3, Duration.ofSeconds(10));
				Object raw = null;
				for (LoggedTask t : tasks) {
					if (t.input().equals("typed chunks")) {
						raw = t.toMap().get("raw_output");
					}
				}
				System.out.println("completion " + c.text() + ", " + chunks.size() + " chunks, raw output " + raw);
				if (c.text() == null || chunks.size() < 2 || !(raw instanceof List<?> l) || l.size() != chunks.size()) {
					System.exit(2);
				}
				if (ModuleLayer.boot().findModule("context.propagation").isPresent()) {
					// A log on another thread sees the session written into the Context: Reactor sets it on
					// the thread through the accessor, registered without a `provides`.
					Hooks.enableAutomaticContextPropagation();
					String seen = Mono.fromCallable(() -> fx.client().log("propagated", "out").sessionId())
							.subscribeOn(Schedulers.boundedElastic())
							.contextWrite(PhosphoContext.session("s-module"))
							.block(Duration.ofSeconds(10));
					System.out.println("context-propagation: " + seen);
					if (!"s-module".equals(seen)) {
						System.exit(3);
					}
				}
				else {
					System.out.println("context-propagation: absent");
				}
				System.out.println("PROBE OK");
			}
			catch (Throwable e) {
				e.printStackTrace(System.out);
				System.exit(1);
			}
			System.exit(0);
		}
	}
}
