package ai.phospho.reactive.openai;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Writes the usual {@link ChatCompletionChunk} (text, role, finish reason; no usage, tool calls,
 * log probabilities nor unknown fields) with the generator's own calls, the bytes Jackson's bean
 * serialization writes for it: the records' components in order, nulls left out
 * ({@code @JsonInclude(NON_NULL)}), names pre-encoded. A stream's export writes every chunk, and the
 * bean serializer's property writers cost more than the chunk's few fields. Any other chunk is left to
 * Jackson ({@link #write} returns {@code false} before writing anything).
 */
final class ChunkWriter {

	private static final SerializableString ID = new SerializedString("id");
	private static final SerializableString OBJECT = new SerializedString("object");
	private static final SerializableString CREATED = new SerializedString("created");
	private static final SerializableString MODEL = new SerializedString("model");
	private static final SerializableString CHOICES = new SerializedString("choices");
	private static final SerializableString SYSTEM_FINGERPRINT = new SerializedString("system_fingerprint");
	private static final SerializableString SERVICE_TIER = new SerializedString("service_tier");
	private static final SerializableString INDEX = new SerializedString("index");
	private static final SerializableString DELTA = new SerializedString("delta");
	private static final SerializableString FINISH_REASON = new SerializedString("finish_reason");
	private static final SerializableString ROLE = new SerializedString("role");
	private static final SerializableString CONTENT = new SerializedString("content");
	private static final SerializableString REFUSAL = new SerializedString("refusal");

	private ChunkWriter() {
	}

	/** Writes {@code c} when it is of the usual shape; {@code false}, with nothing written, for any other. */
	static boolean write(JsonGenerator g, ChatCompletionChunk c) {
		if (!usual(c)) {
			return false;
		}
		g.writeStartObject();
		string(g, ID, c.id());
		string(g, OBJECT, c.object());
		Long created = c.created();
		if (created != null) {
			g.writeName(CREATED);
			g.writeNumber(created.longValue());
		}
		string(g, MODEL, c.model());
		g.writeName(CHOICES);
		g.writeStartArray();
		List<ChatCompletionChunk.Choice> choices = c.choices();
		for (int i = 0, n = choices.size(); i < n; i++) {
			ChatCompletionChunk.Choice choice = choices.get(i);
			g.writeStartObject();
			Integer index = choice.index();
			if (index != null) {
				g.writeName(INDEX);
				g.writeNumber(index.intValue());
			}
			ChatCompletionChunk.Delta d = choice.delta();
			if (d != null) {
				g.writeName(DELTA);
				g.writeStartObject();
				string(g, ROLE, d.role());
				string(g, CONTENT, d.content());
				string(g, REFUSAL, d.refusal());
				g.writeEndObject();
			}
			string(g, FINISH_REASON, choice.finishReason());
			g.writeEndObject();
		}
		g.writeEndArray();
		string(g, SYSTEM_FINGERPRINT, c.systemFingerprint());
		string(g, SERVICE_TIER, c.serviceTier());
		g.writeEndObject();
		return true;
	}

	/** No usage, no unknown field, and in every choice no log probabilities, tool calls or unknown field. */
	private static boolean usual(ChatCompletionChunk c) {
		if (c.usage() != null || !c.extra().isEmpty()) {
			return false;
		}
		List<ChatCompletionChunk.Choice> choices = c.choices();
		for (int i = 0, n = choices.size(); i < n; i++) {
			ChatCompletionChunk.Choice choice = choices.get(i);
			if (choice == null || choice.logprobs() != null || !choice.extra().isEmpty()) {
				return false;
			}
			ChatCompletionChunk.Delta d = choice.delta();
			if (d != null && (d.toolCalls() != null || !d.extra().isEmpty())) {
				return false;
			}
		}
		return true;
	}

	private static void string(JsonGenerator g, SerializableString name, @Nullable String value) {
		if (value != null) {
			g.writeName(name);
			g.writeString(value);
		}
	}
}
