package ai.phospho.reactive.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRedactorTest {

	static final String KEY = "sk-SECRET-1234567890abcdef";
	final KeyRedactor redactor = new KeyRedactor(KEY);

	@Test
	void theKeyAndEchoedCredentialHeadersAreRedacted() {
		assertThat(redactor.redact("key " + KEY + " again " + KEY)).isEqualTo("key <redacted> again <redacted>");
		assertThat(redactor.redact("{\"authorization\":\"Bearer " + KEY + "\",\"accept\":\"*/*\"}"))
				.isEqualTo("{\"authorization\":\"<redacted>\",\"accept\":\"*/*\"}");
		assertThat(redactor.redact("{'Authorization': 'Basic dXNlcjpwYXNz'}")).isEqualTo("{'Authorization': '<redacted>'}");
		assertThat(redactor.redact("proxy saw bearer other-token-42; done")).isEqualTo("proxy saw bearer <redacted>; done");
	}

	@Test
	void whatACutOfTheKeyLeavesAtEitherEdgeIsRedactedFromEightCharacters() {
		assertThat(redactor.redact("x-api-key: sk-SECRET-12...")).isEqualTo("x-api-key: <redacted>...");
		assertThat(redactor.redact("...7890abcdef was refused")).isEqualTo("...<redacted> was refused");
		assertThat(redactor.redact("sk-SECRE: eight")).isEqualTo("<redacted>: eight");
		assertThat(redactor.redact("sk-SECR stays: 7 characters")).isEqualTo("sk-SECR stays: 7 characters");
	}

	@Test
	void redactionComesBeforeTheCutSoTheCutNeverSplitsTheKey() {
		String reply = "-".repeat(490) + "Bearer " + KEY + " tail";

		String shown = redactor.redactAndShorten(reply, 500);

		assertThat(shown).isEqualTo("-".repeat(490) + "Bearer <re...");
		assertThat(KeyRedactor.shorten("ab\uD83D\uDE00cd", 3)).isEqualTo("ab...");
	}

	@Test
	void aHugeReplyIsScannedUpToItsLimitAndAKeyCutThereIsDropped() {
		String reply = "-".repeat(KeyRedactor.MAX_SCANNED - 3) + KEY;

		String shown = redactor.redactAndShorten(reply, KeyRedactor.MAX_SCANNED + 10);

		assertThat(shown).isEqualTo("-".repeat(KeyRedactor.MAX_SCANNED - 3));
	}
}
