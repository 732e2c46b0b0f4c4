package ai.phospho.reactive.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The disk spool: a log of segments in one directory, each a run of length-prefixed, checksummed
 * records ({@link SpoolSegment}). A task is a record holding its event JSON under a sequence
 * number; an acknowledgement is a record holding the highest sequence number delivered. Records
 * are only appended, and a segment is deleted once every task in it and before it is delivered (or
 * dropped), so an acknowledgement never outlives the tasks it names.
 *
 * <p>Confined to one thread (the spool's), but for {@link #pending()}. The directory is held with
 * an OS file lock on {@code lock} for as long as the spool is open: a second client, in this
 * process or another, is refused at {@link SpoolDirectory#open}. Internal: not public API (public for the
 * benchmarks' comparison with embedded stores).
 */
public final class SpoolLog implements AutoCloseable {

	/** Records read by the delivery: their sequence numbers and event JSON. */
	public record Read(long firstSeq, long lastSeq, List<byte[]> events, long[] seqs, long bytes) {
	}

	private final Path dir;
	private final long maxBytes;
	private final long segmentBytes;
	private final FileChannel lockChannel;
	private final FileLock lock;
	private final ArrayDeque<SpoolSegment> segments = new ArrayDeque<>();
	private final int recovered;
	private final int corrupt;

	private volatile long pending;
	private long nextSeq;
	private long acked;
	/** Sequence numbers up to this one were dropped to keep within {@code maxBytes}. */
	private long droppedThrough;
	private long totalBytes;
	// The read cursor: the segment and offset of the next record to deliver.
	private @Nullable SpoolSegment readSegment;
	private long readOffset;
	/** The last task record the cursor passed. */
	private long cursorSeq;
	/** Tasks lost to a record found bad after the scan (a bad sector), not yet counted. */
	private int lostToCorruption;
	/** The sequence numbers being delivered, which a drop leaves to the delivery's outcome. */
	private long inFlightFirst = 1;
	private long inFlightLast;
	private @Nullable SpoolSegment inFlightSegment;
	private long inFlightOffset;

	SpoolLog(Path dir, long maxBytes, FileChannel lockChannel, FileLock lock) throws IOException {
		this.dir = dir;
		this.maxBytes = maxBytes;
		this.segmentBytes = Math.max(64 * 1024, Math.min(16L << 20, maxBytes / 16));
		this.lockChannel = lockChannel;
		this.lock = lock;
		List<Path> files;
		try (Stream<Path> s = Files.list(dir)) {
			files = s.filter(p -> SpoolSegment.isSegment(p.getFileName().toString())).sorted().toList();
		}
		long maxSeq = 0;
		int bad = 0;
		for (Path f : files) {
			SpoolSegment seg = SpoolSegment.scan(f);
			bad += seg.corrupt;
			acked = Math.max(acked, seg.ackedSeq);
			maxSeq = Math.max(maxSeq, seg.highestSeq());
			segments.add(seg);
			totalBytes += seg.validEnd;
		}
		int found = 0;
		for (SpoolSegment seg : segments) {
			found += seg.tasksAfter(acked);
		}
		this.recovered = found;
		this.corrupt = bad;
		this.pending = found;
		this.nextSeq = maxSeq + 1;
		this.droppedThrough = acked;
		removeDelivered();
		// Appends always go to a new segment: an old one may end with a torn record.
		roll();
		this.readSegment = segments.peekFirst();
		this.readOffset = 0;
	}

	/** Tasks lost to records found bad while reading, since the last call: to be counted as dropped. */
	int takeLostToCorruption() {
		int n = lostToCorruption;
		lostToCorruption = 0;
		return n;
	}

	int recovered() {
		return recovered;
	}

	int corrupt() {
		return corrupt;
	}

	/** Tasks spooled and neither delivered nor dropped; from any thread. */
	public long pending() {
		return pending;
	}

	long lastSeq() {
		return nextSeq - 1;
	}

	/** Every task up to this sequence number is delivered or dropped. */
	long settledThrough() {
		return Math.max(acked, droppedThrough);
	}

	public long bytes() {
		return totalBytes;
	}

	/**
	 * Appends the events, then forces them to disk (one {@code fsync} for them all), then drops the
	 * oldest segments if the spool is over its size.
	 *
	 * @return how many spooled tasks were dropped to make room
	 */
	public int append(List<byte[]> events) throws IOException {
		SpoolSegment active = segments.getLast();
		if (active.validEnd >= segmentBytes) {
			roll();
			active = segments.getLast();
		}
		long before = active.validEnd;
		long seqBefore = nextSeq;
		long lastBefore = active.lastSeq;
		try {
			for (byte[] e : events) {
				active.append(SpoolSegment.TASK, nextSeq++, e);
			}
			active.force();
		}
		catch (IOException | RuntimeException e) {
			// Whole or not at all: the segment is cut back and the sequence numbers given back.
			nextSeq = seqBefore;
			active.truncate(before, lastBefore);
			throw e;
		}
		totalBytes += active.validEnd - before;
		pending += events.size();
		return dropOldest();
	}

	/**
	 * The next records to deliver, oldest first, up to {@code maxCount} and about {@code maxBytes};
	 * {@code null} when there are none.
	 */
	public @Nullable Read read(int maxCount, long maxBytesRead) throws IOException {
		List<byte[]> events = new ArrayList<>();
		long[] seqs = new long[Math.min(maxCount, 1024)];
		long first = -1;
		long last = -1;
		long size = 2;
		SpoolSegment startSeg = null;
		long startOffset = 0;
		while (readSegment != null && events.size() < maxCount) {
			SpoolSegment seg = readSegment;
			SpoolSegment.Rec r = readOffset < seg.validEnd ? seg.readAt(readOffset) : null;
			if (r == null && readOffset < seg.validEnd) {
				// A record that was good at the scan or when written is bad now: the rest of the file
				// is lost, counted, and never read again.
				long lost = Math.max(0, seg.lastSeq - Math.max(cursorSeq, settledThrough()));
				lostToCorruption += (int) lost;
				pending -= lost;
				seg.validEnd = readOffset;
				droppedThrough = Math.max(droppedThrough, seg.lastSeq);
			}
			if (r == null) {
				SpoolSegment n = next(seg);
				if (n == null) {
					// The end of the newest segment: what comes next is not written yet.
					break;
				}
				readSegment = n;
				readOffset = 0;
				continue;
			}
			if (r.type() == SpoolSegment.TASK) {
				cursorSeq = r.seq();
			}
			if (r.type() != SpoolSegment.TASK || r.seq() <= settledThrough()) {
				readOffset += r.size();
				continue;
			}
			if (!events.isEmpty() && size + r.payload().length + 1 > maxBytesRead) {
				break;
			}
			if (events.isEmpty()) {
				first = r.seq();
				startSeg = seg;
				startOffset = readOffset;
			}
			if (events.size() == seqs.length) {
				seqs = java.util.Arrays.copyOf(seqs, seqs.length * 2);
			}
			seqs[events.size()] = r.seq();
			events.add(r.payload());
			last = r.seq();
			size += r.payload().length + 1;
			readOffset += r.size();
		}
		if (events.isEmpty()) {
			return null;
		}
		inFlightFirst = first;
		inFlightLast = last;
		inFlightSegment = startSeg;
		inFlightOffset = startOffset;
		return new Read(first, last, events, java.util.Arrays.copyOf(seqs, events.size()), size);
	}

	/** The records read last were delivered: recorded, forced to disk, and their segments deleted if done. */
	public void ack(Read r, int tasks) throws IOException {
		acked = Math.max(acked, r.lastSeq());
		inFlightSegment = null;
		inFlightLast = 0;
		pending -= tasks;
		SpoolSegment active = segments.getLast();
		long before = active.validEnd;
		active.append(SpoolSegment.ACK, acked, new byte[0]);
		active.force();
		totalBytes += active.validEnd - before;
		if (pending == 0 && active.validEnd > 64 * 1024) {
			// Drained: a fresh segment, so that the spool shrinks back to nothing, not to one segment.
			roll();
		}
		removeDelivered();
	}

	/**
	 * The records read last were not delivered: they will be read again, but for those a drop has
	 * removed meanwhile.
	 *
	 * @return how many of them were dropped (to be counted)
	 */
	int unread(Read r) {
		SpoolSegment seg = inFlightSegment;
		int lost = (int) Math.max(0, Math.min(r.lastSeq(), droppedThrough) - r.firstSeq() + 1);
		if (seg != null && segments.contains(seg)) {
			readSegment = seg;
			readOffset = inFlightOffset;
		}
		else {
			readSegment = segments.peekFirst();
			readOffset = 0;
		}
		inFlightSegment = null;
		inFlightLast = 0;
		cursorSeq = r.firstSeq() - 1;
		pending -= lost;
		return lost;
	}

	private int dropOldest() {
		int dropped = 0;
		while (totalBytes > maxBytes && segments.size() > 1) {
			SpoolSegment head = segments.removeFirst();
			totalBytes -= head.validEnd;
			long from = Math.max(settledThrough(), head.firstSeq - 1);
			for (long s = from + 1; s <= head.lastSeq; s++) {
				// A task being delivered is left to the delivery's outcome.
				if (s < inFlightFirst || s > inFlightLast) {
					dropped++;
				}
			}
			droppedThrough = Math.max(droppedThrough, head.lastSeq);
			if (readSegment == head) {
				readSegment = segments.peekFirst();
				readOffset = 0;
			}
			head.delete();
		}
		pending -= dropped;
		return dropped;
	}

	private void removeDelivered() throws IOException {
		while (segments.size() > 1 && segments.peekFirst().lastSeq <= settledThrough()
				&& segments.peekFirst() != inFlightSegment) {
			SpoolSegment head = segments.removeFirst();
			totalBytes -= head.validEnd;
			if (readSegment == head) {
				readSegment = segments.peekFirst();
				readOffset = 0;
			}
			head.delete();
		}
	}

	private void roll() throws IOException {
		SpoolSegment seg = SpoolSegment.create(dir, nextSeq);
		segments.add(seg);
		if (readSegment == null) {
			readSegment = seg;
			readOffset = 0;
		}
	}

	private @Nullable SpoolSegment next(SpoolSegment seg) {
		boolean found = false;
		for (SpoolSegment s : segments) {
			if (found) {
				return s;
			}
			found = s == seg;
		}
		// Null for the newest segment; a segment deleted meanwhile gives the oldest.
		return found ? null : segments.peekFirst();
	}

	@Override
	public void close() {
		for (SpoolSegment s : segments) {
			s.close();
		}
		try {
			lock.release();
		}
		catch (IOException ignored) {
			// Closing the channel releases it too.
		}
		SpoolDirectory.closeQuietly(lockChannel);
	}
}
