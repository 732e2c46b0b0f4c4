package ai.phospho.reactive.openai;

/** What the tests of this module share: the provider key that must never reach a log or a task. */
final class Fixtures {

	static final String API_KEY = "sk-test-0123456789abcdef0123456789abcdef";

	private Fixtures() {
	}
}
