package ai.phospho.reactive.test;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.internal.ExportPipeline;

/**
 * The child JVM of {@link SpoolCrashTest}: logs tasks {@code t-0}, {@code t-1}, ... to a spooled
 * client and prints {@code SPOOLED n} once the first {@code n} are in the spool, forced to disk;
 * then waits to be killed.
 */
public final class SpoolChild {

	private SpoolChild() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[0]);
		String baseUrl = args[1];
		int total = Integer.parseInt(args[2]);
		int chunk = Integer.parseInt(args[3]);
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().apiKey(MockPhosphoServer.DEFAULT_API_KEY)
				.projectId(MockPhosphoServer.DEFAULT_PROJECT_ID).baseUrl(baseUrl).shutdownHook(false).spool(dir)
				.maxQueueSize(chunk * 2).maxBatchSize(500).lingerDelay(Duration.ofMillis(20)).build());
		// What the spool holds is what a crash cannot lose: the test asks the worker, which is internal.
		Field f = PhosphoClient.class.getDeclaredField("pipeline");
		f.setAccessible(true);
		ExportPipeline pipeline = (ExportPipeline) f.get(client);
		System.out.println("READY");
		for (int i = 0; i < total;) {
			int end = Math.min(total, i + chunk);
			for (; i < end; i++) {
				client.log(TaskLog.of("input " + i).output("output " + i).taskId("t-" + i));
			}
			pipeline.spooled().block(Duration.ofSeconds(60));
			System.out.println("SPOOLED " + end);
			System.out.flush();
		}
		Thread.sleep(Long.MAX_VALUE);
	}
}
