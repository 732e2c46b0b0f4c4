package ai.phospho.reactive;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Changes or drops a task before it is exported: set with {@link PhosphoOptionsBuilder#redactor}.
 * It runs on the export worker, off the caller's thread, exactly once per task, before any exporter
 * sees the task. It returns the task unchanged, a changed copy made with
 * {@link LoggedTask#toBuilder()}, or {@code null} to drop it (counted in {@link PhosphoStats#redacted()}).
 *
 * <pre>{@code
 * TaskRedactor noEmails = task -> task.toBuilder()
 *     .input(task.input().replaceAll("\\S+@\\S+", "<email>"))
 *     .rawInput(null)
 *     .build();
 * TaskRedactor onlyProduction = task -> "production".equals(task.environment()) ? task : null;
 * }</pre>
 *
 * <p>A redactor that throws drops the task: it is counted in {@link PhosphoStats#redactionFailures()}
 * and reported once per exception class, without the task's content; the pipeline goes on.
 * {@link TaskMasker} is a ready one: regular expressions and key names.
 */
@FunctionalInterface
public interface TaskRedactor {

	/**
	 * @param task the task as logged
	 * @return the task to export, or {@code null} to drop it
	 */
	@Nullable LoggedTask redact(LoggedTask task);

	/** This redactor, then {@code next} on what it returned; a task this one drops goes no further. */
	default TaskRedactor andThen(TaskRedactor next) {
		Objects.requireNonNull(next, "next");
		return task -> {
			LoggedTask t = redact(task);
			return t == null ? null : next.redact(t);
		};
	}
}
