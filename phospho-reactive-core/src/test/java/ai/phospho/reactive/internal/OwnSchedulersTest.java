package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's own schedulers are shut down off the thread that disposes them: an executor's
 * shutdown takes its queue's locks, and the thread that ends a client's shutdown is most often a
 * non-blocking one (BlockHound caught it parking there, as ExportWorker.dispose ran on an export-call
 * thread). Their queued tasks still run first.
 */
class OwnSchedulersTest {

	@Test
	void theShutdownRunsOnAThreadThatMayWaitAfterTheQueuedTasks() throws Exception {
		AtomicReference<Thread> shutdownOn = new AtomicReference<>();
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1) {
			@Override
			public void shutdown() {
				shutdownOn.set(Thread.currentThread());
				super.shutdown();
			}
		};
		Scheduler s = Schedulers.fromExecutorService(executor, "own");
		AtomicReference<String> ran = new AtomicReference<>();
		s.schedule(() -> {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			ran.set("queued task");
		});

		Thread caller = Mono.fromCallable(() -> {
			OwnSchedulers.dispose(s);
			return Thread.currentThread();
		}).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5));

		assertThat(caller).isInstanceOf(NonBlocking.class);
		assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(ran.get()).isEqualTo("queued task");
		assertThat(shutdownOn.get()).isNotNull().isNotSameAs(caller);
		assertThat(shutdownOn.get()).isNotInstanceOf(NonBlocking.class);
		assertThat(shutdownOn.get().getName()).startsWith("boundedElastic");
	}
}
