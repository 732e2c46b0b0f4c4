package ai.phospho.reactive.langchain4j;

import dev.langchain4j.agent.tool.Tool;

/** The tool the tests call. */
final class Answers {

	private Answers() {
	}

	static final class WeatherTools {

		@Tool(name = "get_weather", value = "The weather in a city")
		String getWeather(String city) {
			return "sunny";
		}
	}
}
