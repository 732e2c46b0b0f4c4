package ai.phospho.reactive.spring;

import java.util.function.ToDoubleFunction;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of one {@link PhosphoClient}, read from {@link PhosphoClient#stats()} when they are
 * published: counters {@code phospho.tasks.exported}, {@code .dropped}, {@code .failed},
 * {@code .rejected}, {@code .retried}, {@code phospho.batches.exported},
 * {@code phospho.export.bytes}; gauges {@code phospho.tasks.queued} (tasks held: queued or being
 * exported), {@code phospho.queue.size} (the same reading, beside its bound
 * {@code phospho.queue.capacity}) and {@code phospho.export.in.flight} (batches being exported).
 */
final class PhosphoMeterBinder implements MeterBinder {

	private final PhosphoClient client;

	PhosphoMeterBinder(PhosphoClient client) {
		this.client = client;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "phospho.tasks.queued", "tasks", "Tasks held: waiting in the queue or in a batch being exported",
				c -> c.stats().queued());
		gauge(registry, "phospho.queue.size", "tasks", "Tasks held, counted against phospho.queue.capacity",
				c -> c.stats().queued());
		gauge(registry, "phospho.queue.capacity", "tasks", "Tasks held at most (phospho.max-queue-size)",
				c -> c.options().maxQueueSize());
		gauge(registry, "phospho.export.in.flight", "batches", "Batches being exported now",
				c -> c.stats().inFlight());
		counter(registry, "phospho.tasks.exported", "tasks", "Tasks the destination accepted",
				PhosphoStats::exported);
		counter(registry, "phospho.tasks.dropped", "tasks",
				"Tasks dropped without an export attempt (queue full, logged after shutdown)", PhosphoStats::dropped);
		counter(registry, "phospho.tasks.failed", "tasks", "Tasks in batches that failed for good",
				PhosphoStats::failed);
		counter(registry, "phospho.tasks.rejected", "tasks", "Tasks the destination refused one by one",
				PhosphoStats::rejected);
		counter(registry, "phospho.tasks.retried", "attempts", "Export attempts that were retried",
				PhosphoStats::retried);
		counter(registry, "phospho.batches.exported", "batches", "Batches exported successfully",
				PhosphoStats::batches);
		counter(registry, "phospho.export.bytes", "bytes", "JSON bytes of the exported events",
				PhosphoStats::bytes);
		counter(registry, "phospho.tasks.capture.errors", "tasks",
				"Tasks logged with only what could be read (a value, chunk or callback threw)",
				PhosphoStats::captureErrors);
	}

	private void gauge(MeterRegistry registry, String name, String unit, String description,
			ToDoubleFunction<PhosphoClient> value) {
		Gauge.builder(name, client, value).baseUnit(unit).description(description).strongReference(true)
				.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String unit, String description,
			ToDoubleFunction<PhosphoStats> value) {
		// Function counters hold the client weakly by default; the bean outlives no registry anyway.
		FunctionCounter.builder(name, client, c -> value.applyAsDouble(c.stats())).baseUnit(unit)
				.description(description).register(registry);
	}
}
