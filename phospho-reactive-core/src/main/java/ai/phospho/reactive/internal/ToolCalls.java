package ai.phospho.reactive.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The readable form of tool calls in a task's output: one line per call, {@code name(arguments)},
 * the arguments as the provider sent them (OpenAI's JSON text, Ollama's object as compact JSON),
 * such as {@code get_weather({"city":"Tokyo"})}.
 *
 * <p>An instance gathers the calls of one stream, on one thread, read by another at any time:
 * OpenAI's fragments (an {@code index}, the name in the first, the arguments in pieces) are joined
 * per index; a call without {@code index} (Ollama's, whole in one chunk) is a call of its own. The
 * lines are bounded by {@code maxChars}.
 */
public final class ToolCalls {

	private final int maxChars;
	private final TreeMap<Long, Call> calls = new TreeMap<>();
	private long next = Long.MAX_VALUE / 2;
	private long chars;

	public ToolCalls(int maxChars) {
		this.maxChars = maxChars;
	}

	/** The lines of complete calls ({@code tool_calls}, or a legacy {@code function_call}); null when none. */
	public static @Nullable String lines(@Nullable Object toolCalls, @Nullable Object functionCall) {
		StringBuilder sb = new StringBuilder();
		if (toolCalls instanceof List<?> list) {
			for (Object o : list) {
				if (o instanceof Map<?, ?> call) {
					Object f = call.get("function");
					line(sb, f instanceof Map<?, ?> m ? m : call);
				}
			}
		}
		if (functionCall instanceof Map<?, ?> f) {
			line(sb, f);
		}
		return sb.length() == 0 ? null : sb.toString();
	}

	private static void line(StringBuilder sb, Map<?, ?> function) {
		if (sb.length() > 0) {
			sb.append('\n');
		}
		sb.append(name(function.get("name"))).append('(').append(arguments(function.get("arguments"))).append(')');
	}

	private static String name(@Nullable Object name) {
		return name instanceof String s ? s : "";
	}

	private static String arguments(@Nullable Object arguments) {
		return arguments == null ? "" : Json.text(arguments);
	}

	/** Adds the calls or fragments of one chunk. */
	public synchronized void add(List<?> fragments) {
		for (Object o : fragments) {
			if (chars >= maxChars) {
				// Past the cap nothing more is held, not even a new call: the output is cut there anyway.
				return;
			}
			if (!(o instanceof Map<?, ?> fragment)) {
				continue;
			}
			long key = fragment.get("index") instanceof Number n ? n.longValue() : next++;
			Call call = calls.get(key);
			if (call == null) {
				call = new Call();
				calls.put(key, call);
				// Its line's parentheses and line break.
				chars += 3;
			}
			Object f = fragment.get("function");
			Map<?, ?> function = f instanceof Map<?, ?> m ? m : fragment;
			if (function.get("name") instanceof String s && !s.isEmpty()) {
				String kept = s.length() > maxChars - chars ? s.substring(0, (int) Math.max(0, maxChars - chars)) : s;
				call.name = call.name.isEmpty() ? kept : call.name + kept;
				chars += kept.length();
			}
			Object args = function.get("arguments");
			if (args != null && chars < maxChars) {
				String text = Json.text(args);
				if (chars + text.length() > maxChars) {
					text = text.substring(0, (int) (maxChars - chars));
				}
				call.arguments.append(text);
				chars += text.length();
			}
		}
	}

	/** One line per call, in index order; {@code ""} when none. */
	public synchronized String render() {
		StringBuilder sb = new StringBuilder();
		for (Call c : calls.values()) {
			if (sb.length() > 0) {
				sb.append('\n');
			}
			sb.append(c.name).append('(').append(c.arguments).append(')');
		}
		return sb.toString();
	}

	private static final class Call {
		String name = "";
		final StringBuilder arguments = new StringBuilder();
	}
}
