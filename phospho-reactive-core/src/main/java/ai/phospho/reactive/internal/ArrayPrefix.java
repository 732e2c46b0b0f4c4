package ai.phospho.reactive.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The first {@code size} elements of an array as a read-only list, without a copy: a stream's chunks
 * as the capture kept them. Unlike {@code Arrays.asList(a).subList(0, n)}, a read does not check a
 * modification count (the array is only ever written past {@code size}), and {@link #toArray()}
 * copies the prefix at once, which is how the export worker reads it.
 */
public final class ArrayPrefix extends AbstractList<Object> implements RandomAccess {

	private final Object[] array;
	private final int size;

	private ArrayPrefix(Object[] array, int size) {
		this.array = array;
		this.size = size;
	}

	/** The first {@code size} elements of {@code array}, which must not change below {@code size}. */
	public static List<Object> of(Object[] array, int size) {
		Objects.checkFromToIndex(0, size, array.length);
		return new ArrayPrefix(array, size);
	}

	@Override
	public Object get(int index) {
		return array[Objects.checkIndex(index, size)];
	}

	@Override
	public int size() {
		return size;
	}

	@Override
	public Object[] toArray() {
		return Arrays.copyOf(array, size, Object[].class);
	}
}
