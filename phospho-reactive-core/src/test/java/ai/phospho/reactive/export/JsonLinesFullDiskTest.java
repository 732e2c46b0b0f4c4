package ai.phospho.reactive.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.phospho.reactive.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A real full disk without privileges: a JVM whose file size limit ({@code ulimit -f}, 32 KiB at
 * most) is hit mid-batch. The kernel then writes part of the batch and fails the rest ({@code EFBIG}),
 * exactly as a full file system does ({@code ENOSPC}).
 */
class JsonLinesFullDiskTest {

	@TempDir
	Path dir;

	@Test
	void onAFullDiskOnlyWholeLinesOfExportedTasksAreInTheFile() throws IOException, InterruptedException {
		Path sh = Path.of("/bin/sh");
		assumeThat(Files.isExecutable(sh)).as("a POSIX shell for ulimit").isTrue();
		Path file = dir.resolve("tasks.jsonl");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process p = new ProcessBuilder(sh.toString(), "-c",
				"ulimit -f 32 && exec \"$0\" -XX:-UsePerfData -cp \"$1\" ai.phospho.reactive.export.FullDiskWriter \"$2\"",
				java, System.getProperty("java.class.path"), file.toString())
				.redirectErrorStream(true)
				.start();
		String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(output).isZero();

		Matcher m = Pattern.compile("exported=(\\d+) failed=(\\d+)").matcher(output);
		assertThat(m.find()).as(output).isTrue();
		long exported = Long.parseLong(m.group(1));
		long failed = Long.parseLong(m.group(2));
		// 120 tasks of about 1 KB against a limit of 16 or 32 KiB (the unit of ulimit -f varies by shell).
		assertThat(failed).isPositive();
		assertThat(exported + failed).isEqualTo(120);
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(lines).hasSize((int) exported);
		assertThat(lines).allSatisfy(l -> assertThat(TestSupport.tree(l).get("input").asString()).startsWith("question"));
		assertThat(Files.readAllBytes(file)).endsWith((byte) '\n');
	}
}
