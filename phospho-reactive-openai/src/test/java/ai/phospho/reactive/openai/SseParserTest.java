package ai.phospho.reactive.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.phospho.reactive.test.openai.Recording;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseParserTest {

	private static List<SseParser.Event> parse(byte[] bytes, int... cuts) {
		SseParser p = new SseParser();
		List<SseParser.Event> out = new ArrayList<>();
		int start = 0;
		for (int cut : cuts) {
			out.addAll(p.feed(Arrays.copyOfRange(bytes, start, cut)));
			start = cut;
		}
		out.addAll(p.feed(Arrays.copyOfRange(bytes, start, bytes.length)));
		out.addAll(p.finish());
		return out;
	}

	private static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void everySplitOfARecordedStreamGivesTheSameEvents() {
		for (Recording r : List.of(Recording.CHAT_STREAM, Recording.CHAT_STREAM_CRLF_COMMENTS_MULTILINE,
				Recording.CHAT_STREAM_TOOL_CALLS)) {
			byte[] body = r.body();
			List<SseParser.Event> whole = parse(body);
			assertThat(whole).as(r.name()).isNotEmpty();
			assertThat(whole.get(whole.size() - 1).data()).isEqualTo("[DONE]");
			for (int cut = 1; cut < body.length; cut++) {
				assertThat(parse(body, cut)).as("%s cut at %d", r, cut).isEqualTo(whole);
			}
		}
	}

	@Test
	void multiLineDataIsJoinedWithNewlinesAndOneLeadingSpaceDropped() {
		List<SseParser.Event> events = parse(utf8("data: {\ndata:  \"a\": 1\ndata:}\n\n"));

		assertThat(events).containsExactly(new SseParser.Event(null, "{\n \"a\": 1\n}", null, false));
	}

	@Test
	void commentsAndUnknownFieldsAreIgnoredAndEventAndIdKept() {
		List<SseParser.Event> events = parse(utf8(": ping\n\nretry: 100\nfoo: bar\nevent: error\nid: 7\ndata: x\n\n"));

		assertThat(events).containsExactly(new SseParser.Event("error", "x", "7", false));
	}

	@Test
	void crlfCrAndLfLineEndsAreAllLineEndsEvenWhenCrlfIsCutInTwo() {
		byte[] body = utf8("data: a\r\n\r\ndata: b\r\rdata: c\n\n");

		assertThat(parse(body, 8)).extracting(SseParser.Event::data).containsExactly("a", "b", "c");
		assertThat(parse(body, 9)).extracting(SseParser.Event::data).containsExactly("a", "b", "c");
	}

	@Test
	void aMultiByteCharacterCutAcrossReadsIsDecodedWhole() {
		byte[] body = utf8("data: {\"content\":\"é漢🙂\"}\n\n");
		int start = "data: {\"content\":\"".length();

		for (int cut = start; cut < start + 9; cut++) {
			assertThat(parse(body, cut)).extracting(SseParser.Event::data).containsExactly("{\"content\":\"é漢🙂\"}");
		}
	}

	@Test
	void aLastEventWithoutItsBlankLineIsDeliveredAtTheEnd() {
		assertThat(parse(utf8("data: [DONE]"))).extracting(SseParser.Event::data).containsExactly("[DONE]");
	}

	@Test
	void aLineLongerThanTheLimitFailsInsteadOfGrowingWithoutBound() {
		SseParser p = new SseParser(16);

		assertThatThrownBy(() -> p.feed(utf8("data: 0123456789abcdef")))
				.isInstanceOf(IllegalStateException.class)
				.hasMessage("a line of the stream is longer than 16 bytes");
	}
}
