/**
 * OpenAI and Ollama for phospho-reactive: typed records of the Chat Completions and Ollama APIs
 * that extraction understands, and reactive clients (Reactor Netty) that log every call.
 *
 * <pre>{@code
 * OpenAiClient openai = OpenAiClient.builder().phospho(phospho).build();
 * openai.chatStream(ChatCompletionRequest.builder("gpt-4o-mini")
 *         .system("You are a helpful assistant.")
 *         .user("Explain quantum computers in less than 20 words.")
 *         .build())
 *     .map(ChatCompletionChunk::text)
 *     .subscribe(System.out::print);
 * }</pre>
 */
@NullMarked
package ai.phospho.reactive.openai;

import org.jspecify.annotations.NullMarked;
