/**
 * A test kit for code that talks to OpenAI-compatible and Ollama servers: {@link
 * ai.phospho.reactive.test.openai.MockOpenAiServer} replays recorded wire responses on a
 * loopback port.
 */
@NullMarked
package ai.phospho.reactive.test.openai;

import org.jspecify.annotations.NullMarked;
