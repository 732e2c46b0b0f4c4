package ai.phospho.reactive.langchain4j;

import dev.langchain4j.agent.tool.Tool;

/** Replies the tests queue besides the recordings, and the tool they call. */
final class Answers {

	static final String TOOL_CALL_COMPLETION = """
			{"id":"chatcmpl-tool","object":"chat.completion","created":1733152800,"model":"gpt-4o-mini-2024-07-18",
			 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
			   {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
			   "logprobs":null,"finish_reason":"tool_calls"}],
			 "usage":{"prompt_tokens":60,"completion_tokens":10,"total_tokens":70}}
			""";

	static final String WEATHER_ANSWER = """
			{"id":"chatcmpl-answer","object":"chat.completion","created":1733152801,"model":"gpt-4o-mini-2024-07-18",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny in Paris."},
			   "logprobs":null,"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":80,"completion_tokens":6,"total_tokens":86}}
			""";

	private Answers() {
	}

	static final class WeatherTools {

		@Tool(name = "get_weather", value = "The weather in a city")
		String getWeather(String city) {
			return "sunny";
		}
	}
}
