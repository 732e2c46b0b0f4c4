package ai.phospho.reactive.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;

/**
 * One file of the {@link SpoolLog}, named by the sequence number it starts at. A record is a
 * 17-byte header (payload length, CRC-32C of what follows the checksum, type, sequence number) and
 * its payload. A record whose header is out of bounds, whose payload is cut short or whose checksum
 * does not match ends what is read of the file: a torn write at a crash, or a bad sector. Spool
 * thread only.
 */
final class SpoolSegment {

	static final byte TASK = 1;
	static final byte ACK = 2;
	static final int HEADER = 17;
	/** A record above this is taken for a corrupt header: an event is at most a batch (1 GiB). */
	private static final int MAX_PAYLOAD = 1 << 30;
	private static final String PREFIX = "segment-";
	private static final String SUFFIX = ".log";

	record Rec(byte type, long seq, byte[] payload) {
		long size() {
			return HEADER + payload.length;
		}
	}

	private final Path path;
	private final FileChannel channel;
	/** The first and last task sequence numbers in the file; 0 when it holds none. */
	long firstSeq;
	long lastSeq;
	/** The highest sequence number the file names or holds: the next process starts above it. */
	long highestSeq() {
		String name = path.getFileName().toString();
		long named = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
		return Math.max(named, Math.max(lastSeq, ackedSeq));
	}

	/** The highest acknowledgement in the file. */
	long ackedSeq;
	/** The length of the good records, from the start. */
	long validEnd;
	/** Records found bad at the scan: 1 for a torn or corrupt tail. */
	int corrupt;

	private SpoolSegment(Path path, FileChannel channel) {
		this.path = path;
		this.channel = channel;
	}

	static boolean isSegment(String name) {
		return name.length() == PREFIX.length() + 20 + SUFFIX.length() && name.startsWith(PREFIX)
				&& name.endsWith(SUFFIX) && name.substring(PREFIX.length(), PREFIX.length() + 20).chars()
						.allMatch(Character::isDigit);
	}

	static SpoolSegment create(Path dir, long startSeq) throws IOException {
		Path p = dir.resolve(String.format("%s%020d%s", PREFIX, startSeq, SUFFIX));
		// Never over an existing file: sequence numbers only grow, across processes too.
		FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		return new SpoolSegment(p, ch);
	}

	/** Opens an existing file and reads its good records; what follows the first bad one is skipped. */
	static SpoolSegment scan(Path p) throws IOException {
		SpoolSegment s = new SpoolSegment(p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE));
		long size = s.channel.size();
		long pos = 0;
		while (pos < size) {
			Rec r = s.readAt(pos, size);
			if (r == null) {
				s.corrupt = 1;
				break;
			}
			s.note(r.type(), r.seq());
			pos += r.size();
		}
		s.validEnd = pos;
		return s;
	}

	/** Task records after {@code acked}: the good ones are consecutive. */
	int tasksAfter(long acked) {
		if (lastSeq == 0) {
			return 0;
		}
		return (int) Math.max(0, lastSeq - Math.max(firstSeq - 1, acked));
	}

	void append(byte type, long seq, byte[] payload) throws IOException {
		ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
		b.putInt(payload.length).putInt(0).put(type).putLong(seq).put(payload).flip();
		CRC32C crc = new CRC32C();
		crc.update(b.array(), 8, HEADER - 8 + payload.length);
		b.putInt(4, (int) crc.getValue());
		long pos = validEnd;
		while (b.hasRemaining()) {
			pos += channel.write(b, pos);
		}
		validEnd = pos;
		note(type, seq);
	}

	void force() throws IOException {
		channel.force(false);
	}

	/** Cuts the file back to {@code end} after a failed append. */
	void truncate(long end, long lastSeqBefore) {
		validEnd = end;
		lastSeq = lastSeqBefore;
		if (lastSeq == 0) {
			firstSeq = 0;
		}
		try {
			channel.truncate(end);
		}
		catch (IOException ignored) {
			// Records past validEnd are never read: a later append writes over them.
		}
	}

	/** The record at {@code pos}, or {@code null} at the end of the good records. */
	@Nullable Rec readAt(long pos) throws IOException {
		return pos < validEnd ? readAt(pos, validEnd) : null;
	}

	private @Nullable Rec readAt(long pos, long end) throws IOException {
		if (end - pos < HEADER) {
			return null;
		}
		ByteBuffer h = ByteBuffer.allocate(HEADER);
		readFully(h, pos);
		int len = h.getInt(0);
		int crc = h.getInt(4);
		byte type = h.get(8);
		long seq = h.getLong(9);
		if (len < 0 || len > MAX_PAYLOAD || len > end - pos - HEADER || (type != TASK && type != ACK) || seq <= 0) {
			return null;
		}
		ByteBuffer p = ByteBuffer.allocate(len);
		readFully(p, pos + HEADER);
		CRC32C c = new CRC32C();
		c.update(h.array(), 8, HEADER - 8);
		c.update(p.array(), 0, len);
		if ((int) c.getValue() != crc) {
			return null;
		}
		return new Rec(type, seq, p.array());
	}

	private void readFully(ByteBuffer b, long pos) throws IOException {
		while (b.hasRemaining()) {
			int n = channel.read(b, pos + b.position());
			if (n < 0) {
				throw new IOException("unexpected end of " + path);
			}
		}
	}

	private void note(byte type, long seq) {
		if (type == TASK) {
			if (firstSeq == 0) {
				firstSeq = seq;
			}
			lastSeq = seq;
		}
		else {
			ackedSeq = Math.max(ackedSeq, seq);
		}
	}

	void delete() {
		close();
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ignored) {
			// Left behind, it is read again at the next start, its tasks acknowledged or sent again.
		}
	}

	void close() {
		try {
			channel.close();
		}
		catch (IOException ignored) {
			// Nothing more to release.
		}
	}
}
