package ai.phospho.reactive.test;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The phospho backend's strict validation of one {@code LogEvent} (PROTOCOL.md): strict types, no
 * coercion, extra keys allowed. Returns the reason the backend would give, or {@code null}.
 */
final class EventValidator {

	private static final String[] OPTIONAL_STRINGS = { "project_id", "output", "session_id", "task_id",
			"version_id", "user_id", "test_id", "step_id", "raw_input_type_name", "raw_output_type_name" };

	private EventValidator() {
	}

	static @Nullable String validate(JsonNode event) {
		if (!event.isObject()) {
			return "event: must be an object, was " + kind(event);
		}
		JsonNode input = event.get("input");
		if (input == null) {
			return "input: field required";
		}
		if (!input.isString()) {
			return "input: must be a string, was " + kind(input);
		}
		for (String name : OPTIONAL_STRINGS) {
			JsonNode v = event.get(name);
			if (v != null && !v.isNull() && !v.isString()) {
				return name + ": must be a string or null, was " + kind(v);
			}
		}
		JsonNode created = event.get("client_created_at");
		if (created != null && !isInt(created)) {
			return "client_created_at: must be an integer, was " + kind(created);
		}
		JsonNode lastUpdate = event.get("last_update");
		if (lastUpdate != null && !lastUpdate.isNull() && !isInt(lastUpdate)) {
			return "last_update: must be an integer or null, was " + kind(lastUpdate);
		}
		JsonNode metadata = event.get("metadata");
		if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
			return "metadata: must be an object or null, was " + kind(metadata);
		}
		JsonNode flag = event.get("flag");
		if (flag != null && !flag.isNull()
				&& !(flag.isString() && (flag.stringValue().equals("success") || flag.stringValue().equals("failure")))) {
			return "flag: must be 'success', 'failure' or null, was " + flag;
		}
		JsonNode environment = event.get("environment");
		if (environment != null && !environment.isString()) {
			return "environment: must be a string, was " + kind(environment);
		}
		String raw = checkRaw("raw_input", event.get("raw_input"), false);
		if (raw != null) {
			return raw;
		}
		return checkRaw("raw_output", event.get("raw_output"), true);
	}

	/** An object, a string, a list of objects or a list of strings (elements may be null for raw_output). */
	private static @Nullable String checkRaw(String name, @Nullable JsonNode v, boolean nullElements) {
		if (v == null || v.isNull() || v.isObject() || v.isString()) {
			return null;
		}
		if (v.isArray()) {
			boolean allObjects = true;
			boolean allStrings = true;
			for (JsonNode e : v) {
				if (e.isNull() && nullElements) {
					continue;
				}
				allObjects &= e.isObject();
				allStrings &= e.isString();
			}
			if (allObjects || allStrings) {
				return null;
			}
			return name + ": a list must hold only objects or only strings"
					+ (nullElements ? " (or nulls)" : "") + ", was " + abbreviate(v.toString());
		}
		return name + ": must be an object, a string, a list of objects or a list of strings, was " + kind(v);
	}

	private static boolean isInt(JsonNode n) {
		return n.isIntegralNumber() && n.canConvertToLong();
	}

	/** A human-eval body: {@code human_eval} success or failure, {@code project_id} and optional strings. */
	static @Nullable String validateFeedback(JsonNode body, String projectId) {
		if (!body.isObject()) {
			return "body: must be an object, was " + kind(body);
		}
		JsonNode eval = body.get("human_eval");
		if (eval == null || !eval.isString()
				|| !(eval.stringValue().equals("success") || eval.stringValue().equals("failure"))) {
			return "human_eval: must be 'success' or 'failure', was " + eval;
		}
		JsonNode project = body.get("project_id");
		if (project == null || !project.isString() || !project.stringValue().equals(projectId)) {
			return "project_id: must be '" + projectId + "', was " + project;
		}
		for (String name : new String[] { "source", "notes" }) {
			JsonNode v = body.get(name);
			if (v != null && !v.isNull() && !v.isString()) {
				return name + ": must be a string or null, was " + kind(v);
			}
		}
		return null;
	}

	private static String kind(JsonNode n) {
		if (n.isNull()) {
			return "null";
		}
		return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(n.toString());
	}

	private static String abbreviate(String s) {
		return s.length() <= 60 ? s : s.substring(0, 57) + "...";
	}
}
