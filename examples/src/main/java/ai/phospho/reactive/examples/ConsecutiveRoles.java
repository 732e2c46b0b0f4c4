package ai.phospho.reactive.examples;

import java.util.List;
import java.util.Map;

import ai.phospho.reactive.Phospho;

/** "Log a list of OpenAI messages": consecutive messages with the same role are joined with a newline. */
public final class ConsecutiveRoles implements Example {

	public static void main(String[] args) throws Exception {
		Examples.runAlone(new ConsecutiveRoles());
	}

	@Override
	public String title() {
		return "Consecutive messages with the same role";
	}

	@Override
	public void run(Llm llm) {
		List<Map<String, String>> messages = List.of(
				Map.of("role", "system", "content", "You are a helpful assistant."),
				Map.of("role", "user", "content", "Explain quantum computers in less than 20 words."),
				Map.of("role", "user", "content", "What is the speed of light?"));
		Phospho.log(messages, null);
	}
}
