package ai.phospho.reactive.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.openai.OllamaClient;
import ai.phospho.reactive.openai.OpenAiClient;
import ai.phospho.reactive.test.openai.MockOpenAiServer;
import ai.phospho.reactive.test.openai.Recording;
import org.jspecify.annotations.Nullable;

/**
 * Where the examples' LLM calls go. OpenAI calls go to {@code OPENAI_BASE_URL} (default OpenAI's
 * API) with {@code OPENAI_API_KEY} when either is set; Ollama calls go to {@code OLLAMA_BASE_URL}
 * when it is set. Whatever is not set is answered by a local OpenAI-compatible server that replays
 * recorded responses (the openai module's {@link MockOpenAiServer}), so the examples run offline
 * and without a key. The models are {@code OPENAI_MODEL} (default {@value #DEFAULT_OPENAI_MODEL})
 * and {@code OLLAMA_MODEL} (default {@value #DEFAULT_OLLAMA_MODEL}).
 *
 * <p>The clients are built without {@code .phospho(..)}: the examples log each call themselves, as
 * the guide does, so that every call is one task.
 */
final class Llm implements AutoCloseable {

	static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
	static final String DEFAULT_OLLAMA_MODEL = "mistral-7b";

	private final @Nullable MockOpenAiServer replay;
	private final boolean openAiReplayed;
	private final boolean ollamaReplayed;
	private final OpenAiClient openAi;
	private final OllamaClient ollama;
	private final String openAiModel;
	private final String openAiUrl;
	private final @Nullable String openAiKey;
	private final String ollamaModel;
	private final String description;

	private Llm(Map<String, String> env) {
		String openAiBase = nonBlank(env.get("OPENAI_BASE_URL"));
		String openAiKey = nonBlank(env.get(OpenAiClient.API_KEY_ENV));
		String ollamaBase = nonBlank(env.get("OLLAMA_BASE_URL"));
		this.openAiReplayed = openAiBase == null && openAiKey == null;
		this.ollamaReplayed = ollamaBase == null;
		this.replay = openAiReplayed || ollamaReplayed ? MockOpenAiServer.start() : null;
		String openAiUrl = openAiReplayed ? replay().baseUrl()
				: openAiBase != null ? openAiBase : OpenAiClient.DEFAULT_BASE_URL;
		String ollamaUrl = ollamaBase == null ? replay().rootUrl() : ollamaBase; // ollamaReplayed, in a form NullAway reads
		this.openAiUrl = openAiUrl;
		// The replay server checks no key; a placeholder keeps a stray OPENAI_API_KEY out of it.
		this.openAiKey = openAiReplayed ? "sk-replay" : openAiKey;
		this.openAi = OpenAiClient.builder().baseUrl(openAiUrl).apiKey(this.openAiKey).build();
		this.ollama = OllamaClient.builder().baseUrl(ollamaUrl).build();
		this.openAiModel = orDefault(env.get("OPENAI_MODEL"), DEFAULT_OPENAI_MODEL);
		this.ollamaModel = orDefault(env.get("OLLAMA_MODEL"), DEFAULT_OLLAMA_MODEL);
		this.description = describe(openAiUrl, ollamaUrl);
	}

	/** From the process environment; prints one line saying where the calls go. */
	static Llm fromEnvironment(PrintStream out) {
		return of(System.getenv(), out);
	}

	/** From these environment variables; prints one line saying where the calls go. */
	static Llm of(Map<String, String> env, PrintStream out) {
		Llm llm = new Llm(env);
		out.println(llm.description);
		return llm;
	}

	/** Every call answered by the replay server, whatever the environment: for tests. */
	static Llm replaying() {
		return new Llm(Map.of());
	}

	private String describe(String openAiUrl, String ollamaUrl) {
		if (openAiReplayed && ollamaReplayed) {
			return "No OPENAI_API_KEY, OPENAI_BASE_URL or OLLAMA_BASE_URL set: LLM calls are answered by a local "
					+ "OpenAI-compatible server replaying recorded responses, at " + openAiUrl;
		}
		return "LLM calls: OpenAI-compatible API at " + openAiUrl + (openAiReplayed ? " (local replay server)" : "")
				+ ", Ollama at " + ollamaUrl + (ollamaReplayed ? " (local replay server)" : "");
	}

	/**
	 * Queues the recorded answers to the calls an example is about to make, for the backends that are
	 * replayed; a real backend answers for itself. The replay server answers requests in order.
	 */
	void expect(List<Recording> recordings) {
		for (Recording r : recordings) {
			boolean ollamaRecording = r.name().startsWith("OLLAMA_");
			if (ollamaRecording ? ollamaReplayed : openAiReplayed) {
				replay().enqueue(r);
			}
		}
	}

	/** The OpenAI-compatible client; it logs nothing by itself. */
	OpenAiClient openAi() {
		return openAi;
	}

	/** The Ollama client; it logs nothing by itself. */
	OllamaClient ollama() {
		return ollama;
	}

	/** The OpenAI-compatible API's base URL ({@code .../v1}), for the frameworks' own clients. */
	String openAiBaseUrl() {
		return openAiUrl;
	}

	/** The key for {@link #openAiBaseUrl()} ({@code "none"} for an API without one); never printed. */
	String openAiKey() {
		return openAiKey != null ? openAiKey : "none";
	}

	String openAiModel() {
		return openAiModel;
	}

	String ollamaModel() {
		return ollamaModel;
	}

	/** Whether any backend is the replay server. */
	boolean replaysAnything() {
		return replay != null;
	}

	private MockOpenAiServer replay() {
		if (replay == null) {
			throw new IllegalStateException("no replay server: every backend is real");
		}
		return replay;
	}

	@Override
	public void close() {
		if (replay != null) {
			replay.close();
		}
	}

	private static @Nullable String nonBlank(@Nullable String s) {
		return s == null || s.isBlank() ? null : s.strip();
	}

	private static String orDefault(@Nullable String s, String fallback) {
		String v = nonBlank(s);
		return v == null ? fallback : v;
	}
}
