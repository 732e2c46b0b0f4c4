/**
 * LangChain4j: {@link ai.phospho.reactive.langchain4j.PhosphoChatModelListener} logs each
 * {@code ChatModel} call, {@link ai.phospho.reactive.langchain4j.PhosphoStreamingChatModel} each
 * stream of a {@code StreamingChatModel}, and {@link ai.phospho.reactive.langchain4j.LangChain4jFlux}
 * turns a stream into a {@code Flux}.
 */
@NullMarked
package ai.phospho.reactive.langchain4j;

import org.jspecify.annotations.NullMarked;
