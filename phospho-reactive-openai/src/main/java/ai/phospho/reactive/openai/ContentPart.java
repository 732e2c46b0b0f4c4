package ai.phospho.reactive.openai;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One part of a message's content: {@code {"type": "text", "text": ...}} or
 * {@code {"type": "image_url", "image_url": {"url": ...}}}; other types keep their fields in
 * {@link #extra()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContentPart(
		String type,
		@Nullable String text,
		@JsonProperty("image_url") @Nullable ImageUrl imageUrl,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public ContentPart {
		Objects.requireNonNull(type, "type");
		extra = Json.extra(extra);
	}

	/** A text part. */
	public static ContentPart text(String text) {
		return new ContentPart("text", Objects.requireNonNull(text, "text"), null, Map.of());
	}

	/** An image part, by URL or {@code data:} URI. */
	public static ContentPart imageUrl(String url) {
		return imageUrl(url, null);
	}

	/** An image part with a {@code detail} of {@code low}, {@code high} or {@code auto}. */
	public static ContentPart imageUrl(String url, @Nullable String detail) {
		return new ContentPart("image_url", null, new ImageUrl(url, detail, Map.of()), Map.of());
	}

	/** The URL of an image part, with its optional {@code detail} ({@code low}, {@code high}, {@code auto}). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record ImageUrl(String url, @Nullable String detail,
			@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

		public ImageUrl {
			Objects.requireNonNull(url, "url");
			extra = Json.extra(extra);
		}
	}
}
