package ai.phospho.reactive.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A real {@link FileChannel} that runs out of space: once {@code budget} bytes are written through
 * it, a write writes what is left of the budget and the next one throws, as a full disk does.
 * Optionally its {@code truncate} fails too. No limit until {@link #budget(long)} sets one.
 */
final class FailingFileChannel extends FileChannel {

	private final FileChannel file;
	private volatile long budget = Long.MAX_VALUE;
	private volatile boolean truncateFails;

	FailingFileChannel(FileChannel file) {
		this.file = file;
	}

	/** From now on, {@code bytes} more can be written, then the disk is full. */
	FailingFileChannel budget(long bytes) {
		this.budget = bytes;
		return this;
	}

	/** Makes {@code truncate} fail: the partial batch cannot be taken back. */
	FailingFileChannel truncateFails() {
		this.truncateFails = true;
		return this;
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		if (budget <= 0) {
			throw new IOException("No space left on device");
		}
		if (src.remaining() <= budget) {
			int n = file.write(src);
			budget -= n;
			return n;
		}
		ByteBuffer part = src.slice().limit((int) budget);
		int n = file.write(part);
		src.position(src.position() + n);
		budget -= n;
		return n;
	}

	@Override
	public FileChannel truncate(long size) throws IOException {
		if (truncateFails) {
			throw new IOException("Input/output error");
		}
		file.truncate(size);
		return this;
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		return file.read(dst);
	}

	@Override
	public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
		return file.read(dsts, offset, length);
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		long n = 0;
		for (int i = offset; i < offset + length; i++) {
			n += write(srcs[i]);
		}
		return n;
	}

	@Override
	public long position() throws IOException {
		return file.position();
	}

	@Override
	public FileChannel position(long newPosition) throws IOException {
		file.position(newPosition);
		return this;
	}

	@Override
	public long size() throws IOException {
		return file.size();
	}

	@Override
	public void force(boolean metaData) throws IOException {
		file.force(metaData);
	}

	@Override
	public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
		return file.transferTo(position, count, target);
	}

	@Override
	public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
		throw new UnsupportedOperationException("not used by the exporter");
	}

	@Override
	public int read(ByteBuffer dst, long position) throws IOException {
		return file.read(dst, position);
	}

	@Override
	public int write(ByteBuffer src, long position) throws IOException {
		throw new UnsupportedOperationException("not used by the exporter");
	}

	@Override
	public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
		return file.map(mode, position, size);
	}

	@Override
	public FileLock lock(long position, long size, boolean shared) throws IOException {
		return file.lock(position, size, shared);
	}

	@Override
	public FileLock tryLock(long position, long size, boolean shared) throws IOException {
		return file.tryLock(position, size, shared);
	}

	@Override
	protected void implCloseChannel() throws IOException {
		file.close();
	}
}
