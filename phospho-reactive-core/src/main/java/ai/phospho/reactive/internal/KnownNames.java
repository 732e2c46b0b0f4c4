package ai.phospho.reactive.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Keys that are written again and again (the event's own, a provider's chunk keys), quoted and
 * encoded once and found by their hash: the generator copies a pre-encoded name where it checks a
 * {@code String} key for escapes character by character. The keys are plain ASCII, so their length
 * is their size and the bytes are those of the key as a string. A slot holds the first key of its
 * hash; a key that lost its slot is treated as any other key.
 */
final class KnownNames {

	private final String[] keys;
	private final SerializableString[] names;

	/** {@code slots} a power of two, well above the number of keys. */
	KnownNames(int slots, String... known) {
		keys = new String[slots];
		names = new SerializableString[slots];
		for (String k : known) {
			int i = k.hashCode() & (slots - 1);
			if (keys[i] == null) {
				keys[i] = k;
				names[i] = new SerializedString(k);
			}
		}
	}

	/** The encoded name of {@code key}, or {@code null} when it is not one of these keys. */
	@SuppressWarnings("ReferenceEquality")
	@Nullable SerializableString of(String key) {
		int i = key.hashCode() & (keys.length - 1);
		String k = keys[i];
		// The same object (a literal, an interned parser key) most often; an equal string else.
		return k != null && (k == key || k.equals(key)) ? names[i] : null;
	}

	/** Writes {@code key} as a name: its encoded bytes when it is one of these keys. */
	void write(JsonGenerator g, String key) {
		SerializableString name = of(key);
		if (name != null) {
			g.writeName(name);
		}
		else {
			g.writeName(key);
		}
	}
}
