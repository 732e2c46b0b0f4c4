package ai.phospho.reactive.benchmarks;

import java.lang.management.ManagementFactory;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Two secondary figures per operation, reported by JMH next to the primary one (its
 * {@code @AuxCounters}, type {@code EVENTS}: a value per iteration, then mean and error over the
 * iterations like any other result):
 * <ul>
 * <li>{@code callerNsPerOp}: wall time the caller's thread spends in the work itself, without the
 * flush that ends each invocation;
 * <li>{@code cpuNsPerOp}: CPU time of the whole process (every thread: the caller, the export worker,
 * GC and JIT) from the iteration's first invocation to the end of its last one, divided by the
 * operations of the iteration.
 * <li>{@code callerCpuNsPerOp} and {@code callerBytesPerOp}: the CPU time and the bytes allocated of
 * the caller's thread in the same span as {@code callerNsPerOp} ({@code ThreadMXBean}): what the
 * caller's work costs without the time its thread waits for a core (the export worker, GC and
 * other processes share the machine's cores), and whether it allocates per operation.
 * </ul>
 * The process CPU time comes from {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime},
 * which on Linux counts in clock ticks (10 ms): it is read once at the iteration's first invocation
 * and at the end of every invocation, so the figure spans the whole iteration (seconds) and the tick
 * is under 1 % of it. Each of {@code n} benchmark threads reports {@code 1/n} of the process figure
 * and of its own caller figure, and JMH sums the threads: the sums are the per-operation figures.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuCounters {

	private static final com.sun.management.OperatingSystemMXBean OS =
			(com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
	private static final com.sun.management.ThreadMXBean THREADS =
			(com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

	/** Wall time of the caller's work per operation, flush excluded; ns. */
	public double callerNsPerOp;
	/** Process CPU time per operation, all threads, flush included; ns. */
	public double cpuNsPerOp;
	/** CPU time of the caller's thread per operation, flush excluded; ns. */
	public double callerCpuNsPerOp;
	/** Bytes allocated by the caller's thread per operation, flush excluded. */
	public double callerBytesPerOp;

	private int threads = 1;
	private long ops;
	private long callerNs;
	private long callerCpuNs;
	private long callerBytes;
	private long threadCpuStart;
	private long threadBytesStart;
	private long cpuStart = -1;

	@Setup(Level.Iteration)
	public void reset(BenchmarkParams params) {
		threads = params.getThreads();
		ops = 0;
		callerNs = 0;
		callerCpuNs = 0;
		callerBytes = 0;
		cpuStart = -1;
		callerNsPerOp = 0;
		cpuNsPerOp = 0;
		callerCpuNsPerOp = 0;
		callerBytesPerOp = 0;
	}

	/** At the start of an invocation; returns the wall clock for {@link #work}. */
	long start() {
		if (cpuStart < 0) {
			cpuStart = OS.getProcessCpuTime();
		}
		threadBytesStart = THREADS.getCurrentThreadAllocatedBytes();
		threadCpuStart = THREADS.getCurrentThreadCpuTime();
		return System.nanoTime();
	}

	/** After the caller's work, before the flush. */
	void work(long startNanos, int operations) {
		callerNs += System.nanoTime() - startNanos;
		callerCpuNs += THREADS.getCurrentThreadCpuTime() - threadCpuStart;
		callerBytes += THREADS.getCurrentThreadAllocatedBytes() - threadBytesStart;
		ops += operations;
	}

	/** At the end of an invocation, after the flush. */
	void end() {
		callerNsPerOp = (double) callerNs / ops / threads;
		cpuNsPerOp = (double) (OS.getProcessCpuTime() - cpuStart) / ops / threads;
		callerCpuNsPerOp = (double) callerCpuNs / ops / threads;
		callerBytesPerOp = (double) callerBytes / ops / threads;
	}
}
