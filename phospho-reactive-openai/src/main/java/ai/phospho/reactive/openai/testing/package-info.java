/**
 * A test kit for code that talks to OpenAI-compatible and Ollama servers: {@link
 * ai.phospho.reactive.openai.testing.MockOpenAiServer} replays recorded wire responses on a
 * loopback port.
 */
@NullMarked
package ai.phospho.reactive.openai.testing;

import org.jspecify.annotations.NullMarked;
