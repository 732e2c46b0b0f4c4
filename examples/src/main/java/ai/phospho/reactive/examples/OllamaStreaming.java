package ai.phospho.reactive.examples;

import java.util.List;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.openai.OllamaGenerateRequest;
import ai.phospho.reactive.openai.OllamaGenerateResponse;
import ai.phospho.reactive.test.openai.Recording;

/**
 * "Example: Local Ollama streaming": any stream, with a {@code stop} rule saying which element is
 * the last one. Python needs {@code MutableGenerator} for this; a {@code Flux} is observed as it
 * passes, so {@code logStream(input, stop)} is enough. When {@code stop} matches, the task is logged
 * at once, even if the stream stays open.
 */
public final class OllamaStreaming implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new OllamaStreaming());
	}

	@Override
	public String title() {
		return "Local Ollama streaming, with a stop rule";
	}

	@Override
	public List<Recording> replays() {
		return List.of(Recording.OLLAMA_GENERATE_STREAM);
	}

	@Override
	public void run(Llm llm) {
		String prompt = "Explain quantum computers in less than 20 words.";

		// A local streaming Ollama endpoint (POST /api/generate): one NDJSON line per token
		OllamaGenerateRequest request = OllamaGenerateRequest.builder(llm.ollamaModel(), prompt)
				.context(List.of())
				.build();

		llm.ollama().generateStream(request)
				// Indicate when the streaming stops: the line with "done": true
				.transform(Phospho.logStream(prompt, OllamaGenerateResponse::finished))
				// As the lines pass, phospho combines their text
				.blockLast(Examples.TIMEOUT);
	}
}
