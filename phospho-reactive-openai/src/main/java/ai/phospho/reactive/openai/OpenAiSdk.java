package ai.phospho.reactive.openai;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import com.openai.core.http.AsyncStreamResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Bridges the official {@code com.openai:openai-java} SDK (an optional dependency: this class
 * needs it on the class path, the rest of the module does not) to Reactor. Its types are logged
 * as they are: {@code Phospho.log(params, completion)} extracts the same input, output, system
 * prompt, model and usage as from this module's records (see {@link OpenAiExtractor}).
 *
 * <pre>{@code
 * Flux<ChatCompletionChunk> chunks = OpenAiSdk.flux(
 *     () -> openAiClientAsync.chat().completions().createStreaming(params));
 * }</pre>
 */
public final class OpenAiSdk {

	private OpenAiSdk() {
	}

	/**
	 * The chunks of an SDK streaming response as a {@code Flux}. The call is made at subscription,
	 * once per subscriber; cancelling closes the response. The SDK pushes without backpressure,
	 * so chunks that arrive faster than they are requested are buffered.
	 */
	public static <T> Flux<T> flux(Supplier<? extends AsyncStreamResponse<T>> call) {
		Objects.requireNonNull(call, "call");
		return Flux.create(sink -> {
			AsyncStreamResponse<T> response = Objects.requireNonNull(call.get(), "the call returned no response");
			sink.onDispose(response::close);
			response.subscribe(new AsyncStreamResponse.Handler<T>() {
				@Override
				public void onNext(T value) {
					sink.next(value);
				}

				@Override
				public void onComplete(Optional<Throwable> error) {
					if (error.isPresent()) {
						sink.error(error.get());
					}
					else {
						sink.complete();
					}
				}
			});
		}, FluxSink.OverflowStrategy.BUFFER);
	}
}
