package ai.phospho.reactive.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One accepted {@code POST /v2/tasks/{task_id}/human-eval}.
 *
 * @param taskId the task id of the path
 * @param body   the parsed body: {@code human_eval}, {@code project_id}, {@code source}, {@code notes}
 */
public record RecordedFeedback(String taskId, Map<String, @Nullable Object> body) {
}
