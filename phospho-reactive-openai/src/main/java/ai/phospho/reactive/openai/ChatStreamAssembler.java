package ai.phospho.reactive.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collector;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Assembles the chunks of a streamed completion into the {@link ChatCompletion} the same request
 * would have returned without streaming: content and refusal concatenated per choice (by
 * {@code index}), tool-call argument fragments joined per tool call {@code index}, log
 * probabilities appended, the finish reason of each choice, and the last usage seen. No field is
 * lost: other fields of a chunk, a choice or a delta (Azure's {@code prompt_filter_results} and
 * {@code content_filter_results}, a provider's {@code citations}) are kept, the last value winning
 * (strings of a delta are concatenated). An empty {@code id} or {@code model} and a {@code created}
 * of 0 (Azure's annotation chunks) never replace known ones.
 *
 * <pre>{@code
 * Mono<ChatCompletion> whole = ChatStreamAssembler.assemble(openai.chatStream(request));
 * }</pre>
 *
 * <p>Not thread-safe: one assembler per stream, fed in order.
 */
public final class ChatStreamAssembler {

	private @Nullable String id;
	private @Nullable Long created;
	private @Nullable String model;
	private @Nullable String systemFingerprint;
	private @Nullable String serviceTier;
	private @Nullable Usage usage;
	private final TreeMap<Integer, ChoiceState> choices = new TreeMap<>();
	private final Map<String, Object> extra = new LinkedHashMap<>();
	private int chunks;

	/** The completion of a whole stream, emitted when it completes. */
	public static Mono<ChatCompletion> assemble(Flux<ChatCompletionChunk> chunks) {
		return chunks.collect(ChatStreamAssembler::new, ChatStreamAssembler::add).map(ChatStreamAssembler::completion);
	}

	/**
	 * A collector of a stream's chunks into its completion, for
	 * {@link ai.phospho.reactive.StreamLog#rawOutput(Collector)}. Sequential streams only.
	 */
	public static Collector<ChatCompletionChunk, ChatStreamAssembler, ChatCompletion> collector() {
		return Collector.of(ChatStreamAssembler::new, ChatStreamAssembler::add, (a, b) -> {
			throw new UnsupportedOperationException("a chat stream is assembled in order, on one thread");
		}, ChatStreamAssembler::completion);
	}

	/**
	 * Adds the next chunk.
	 *
	 * @return whether it is the final chunk: a usage chunk without choices
	 */
	public boolean add(ChatCompletionChunk chunk) {
		chunks++;
		id = known(id, chunk.id());
		if (created == null || created == 0) {
			created = chunk.created();
		}
		model = known(model, chunk.model());
		systemFingerprint = known(systemFingerprint, chunk.systemFingerprint());
		serviceTier = known(serviceTier, chunk.serviceTier());
		extra.putAll(chunk.extra());
		for (ChatCompletionChunk.Choice c : chunk.choices()) {
			int index = c.index() == null ? 0 : c.index();
			choices.computeIfAbsent(index, i -> new ChoiceState()).add(c);
		}
		if (chunk.usage() != null) {
			usage = chunk.usage();
			return chunk.choices().isEmpty();
		}
		return false;
	}

	private static @Nullable String known(@Nullable String current, @Nullable String next) {
		return current == null || current.isEmpty() ? next : current;
	}

	/** How many chunks were added. */
	public int chunkCount() {
		return chunks;
	}

	/** The text of choice 0 so far. */
	public String text() {
		ChoiceState c = choices.get(0);
		return c == null ? "" : c.content.toString();
	}

	/** The last usage seen: the trailing usage chunk's, or the cumulative usage of the last chunk that had one. */
	public @Nullable Usage usage() {
		return usage;
	}

	/** What was assembled so far, as a completion ({@code "object": "chat.completion"}). */
	public ChatCompletion completion() {
		List<ChatCompletion.Choice> out = new ArrayList<>(choices.size());
		for (Map.Entry<Integer, ChoiceState> e : choices.entrySet()) {
			out.add(e.getValue().choice(e.getKey()));
		}
		return new ChatCompletion(id, "chat.completion", created, model, out, usage, systemFingerprint, serviceTier,
				extra);
	}

	private static final class ChoiceState {
		private @Nullable String role;
		private final StringBuilder content = new StringBuilder();
		private boolean hasContent;
		private @Nullable StringBuilder refusal;
		private @Nullable String finishReason;
		private final TreeMap<Integer, ToolCallState> toolCalls = new TreeMap<>();
		private final Map<String, Object> extra = new LinkedHashMap<>();
		private final Map<String, Object> messageExtra = new LinkedHashMap<>();
		private @Nullable Map<String, Object> logprobs;

		void add(ChatCompletionChunk.Choice c) {
			if (c.finishReason() != null) {
				finishReason = c.finishReason();
			}
			for (Map.Entry<String, Object> e : c.extra().entrySet()) {
				// Perplexity's chunks carry the message so far: the assembled one replaces it.
				if (!"message".equals(e.getKey())) {
					extra.put(e.getKey(), e.getValue());
				}
			}
			if (c.logprobs() instanceof Map<?, ?> lp) {
				addLogprobs(lp);
			}
			ChatCompletionChunk.Delta d = c.delta();
			if (d == null) {
				return;
			}
			for (Map.Entry<String, Object> e : d.extra().entrySet()) {
				// Text a provider streams under its own name (reasoning_content, ...) is concatenated.
				if (e.getValue() instanceof String piece && messageExtra.get(e.getKey()) instanceof String sofar) {
					messageExtra.put(e.getKey(), sofar + piece);
				}
				else if (e.getValue() != null || !messageExtra.containsKey(e.getKey())) {
					messageExtra.put(e.getKey(), e.getValue());
				}
			}
			if (d.role() != null) {
				role = d.role();
			}
			if (d.content() != null) {
				content.append(d.content());
				hasContent = true;
			}
			if (d.refusal() != null) {
				if (refusal == null) {
					refusal = new StringBuilder();
				}
				refusal.append(d.refusal());
			}
			if (d.toolCalls() != null) {
				for (ToolCall fragment : d.toolCalls()) {
					int index = fragment.index() == null ? toolCalls.size() : fragment.index();
					toolCalls.computeIfAbsent(index, i -> new ToolCallState()).add(fragment);
				}
			}
		}

		ChatCompletion.Choice choice(int index) {
			List<ToolCall> calls = null;
			if (!toolCalls.isEmpty()) {
				calls = new ArrayList<>(toolCalls.size());
				for (ToolCallState t : toolCalls.values()) {
					calls.add(t.toolCall());
				}
			}
			ChatMessage message = new ChatMessage(role == null ? "assistant" : role,
					hasContent ? content.toString() : null, null, calls, null,
					refusal == null ? null : refusal.toString(), messageExtra);
			return new ChatCompletion.Choice(index, message, finishReason, logprobs, extra);
		}

		/** Log probabilities come as lists per chunk ({@code content}, {@code refusal}): appended. */
		private void addLogprobs(Map<?, ?> lp) {
			if (logprobs == null) {
				logprobs = new LinkedHashMap<>();
			}
			for (Map.Entry<?, ?> e : lp.entrySet()) {
				String key = String.valueOf(e.getKey());
				if (e.getValue() instanceof List<?> items) {
					Object sofar = logprobs.get(key);
					List<Object> all = sofar instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
					all.addAll(items);
					logprobs.put(key, all);
				}
				else if (!logprobs.containsKey(key) || e.getValue() != null) {
					logprobs.put(key, e.getValue());
				}
			}
		}
	}

	private static final class ToolCallState {
		private @Nullable String id;
		private @Nullable String type;
		private @Nullable String name;
		private final StringBuilder arguments = new StringBuilder();

		void add(ToolCall fragment) {
			if (fragment.id() != null) {
				id = fragment.id();
			}
			if (fragment.type() != null) {
				type = fragment.type();
			}
			ToolCall.FunctionCall f = fragment.function();
			if (f != null) {
				if (f.name() != null) {
					name = name == null ? f.name() : name + f.name();
				}
				if (f.arguments() != null) {
					arguments.append(f.arguments());
				}
			}
		}

		ToolCall toolCall() {
			return new ToolCall(null, id, type == null ? "function" : type,
					new ToolCall.FunctionCall(name, arguments.toString(), Map.of()), Map.of());
		}
	}
}
