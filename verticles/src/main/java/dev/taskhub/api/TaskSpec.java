package dev.taskhub.api;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a caller asks for when registering a task, validated. {@link #fromJson} is the single gate for every
 * interface (HTTP, event bus, CLI): anything it refuses is a {@link Failure#BAD_REQUEST} (or {@link Failure#TOO_LARGE}
 * for data) that names the field. Its rules are the table {@link #FIELDS}; the OpenAPI document describes the same
 * fields and limits, and ContractTest holds the two together. {@code priority}, {@code maxAttempts} and
 * {@code timeoutSeconds} are null when left out: the database fills them in from the type's settings
 * ({@link TypeSettings}), else with {@link #DEFAULT_PRIORITY} and {@link #DEFAULT_MAX_ATTEMPTS}.
 */
public record TaskSpec(
    String type,
    String data,
    Priority priority,
    Instant runAt,
    Integer maxAttempts,
    Integer timeoutSeconds,
    List<Long> dependsOn,
    RunIf runIf,
    String key,
    String title,
    String tag,
    String app,
    String finalizeUrl) {

  public static final Pattern TYPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
  public static final int DEFAULT_MAX_DATA_BYTES = 1024 * 1024;
  /** A registration's defaults where neither it nor its type's settings say otherwise. */
  public static final Priority DEFAULT_PRIORITY = Priority.Normal;
  public static final int DEFAULT_MAX_ATTEMPTS = 1;
  private static final int MAX_TEXT = 200;

  /** When a task with predecessors may run: after all of them are DONE, or after all of them ended whatever way. */
  public enum RunIf {
    success, always
  }

  /** Every field a task spec may have, with its rule; anything else is refused. JSON null counts as absent. */
  public static final Map<String, FieldRule> FIELDS = FieldRule.table(
      FieldRule.text("type", 1, 64).matching(TYPE),
      new FieldRule("data", null, null, null, null, List.of()), // any JSON, measured against task.maxDataBytes
      FieldRule.text("priority", 0, 32), // Priority.parse names the values
      FieldRule.text("runAt", 0, 64),
      FieldRule.integer("delaySeconds", 0, 366 * 24 * 3600),
      FieldRule.integer("maxAttempts", 1, 100),
      FieldRule.integer("timeoutSeconds", 1, 7 * 24 * 3600),
      new FieldRule("dependsOn", "array", null, 1000L, null, List.of()), // of task ids
      FieldRule.oneOf("runIf", Arrays.stream(RunIf.values()).map(Enum::name).toList()),
      FieldRule.text("key", 0, MAX_TEXT),
      FieldRule.text("title", 0, MAX_TEXT),
      FieldRule.text("tag", 0, MAX_TEXT),
      FieldRule.text("app", 0, MAX_TEXT),
      FieldRule.text("finalizeUrl", 0, 2000));

  public static TaskSpec of(String type, JsonObject data) {
    return fromJson(new JsonObject().put("type", type).put("data", data), DEFAULT_MAX_DATA_BYTES);
  }

  public static TaskSpec fromJson(JsonObject json, int maxDataBytes) {
    if (json == null) {
      throw bad("a task must be a JSON object");
    }
    FieldRule.refuseUnknown(json, FIELDS);
    String type = text(json, "type");
    if (type == null) {
      throw bad("'type' is required: the name of an executor");
    }
    String data = encodeData(json.getValue("data"), maxDataBytes);
    Priority priority = json.getValue("priority") == null ? null : Priority.parse(text(json, "priority"));
    Instant runAt = runAt(json);
    Integer maxAttempts = (Integer) FIELDS.get("maxAttempts").check(json.getValue("maxAttempts"));
    Integer timeout = (Integer) FIELDS.get("timeoutSeconds").check(json.getValue("timeoutSeconds"));
    String runIf = text(json, "runIf");
    return new TaskSpec(type, data, priority, runAt, maxAttempts, timeout, dependsOn(json),
        runIf == null ? RunIf.success : RunIf.valueOf(runIf), text(json, "key"), text(json, "title"), text(json, "tag"),
        text(json, "app"), finalizeUrl(json));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("data", Json.decodeValue(data)).put("runIf", runIf.name());
    if (priority != null) json.put("priority", priority.name());
    if (maxAttempts != null) json.put("maxAttempts", maxAttempts);
    if (runAt != null) json.put("runAt", runAt.toString());
    if (timeoutSeconds != null) json.put("timeoutSeconds", timeoutSeconds);
    if (!dependsOn.isEmpty()) json.put("dependsOn", new JsonArray(new ArrayList<>(dependsOn)));
    if (key != null) json.put("key", key);
    if (title != null) json.put("title", title);
    if (tag != null) json.put("tag", tag);
    if (app != null) json.put("app", app);
    if (finalizeUrl != null) json.put("finalizeUrl", finalizeUrl);
    return json;
  }

  private static String text(JsonObject json, String field) {
    return (String) FIELDS.get(field).check(json.getValue(field));
  }

  private static String encodeData(Object data, int maxDataBytes) {
    if (data == null) {
      return "{}";
    }
    String encoded;
    try {
      encoded = Json.encode(data);
    } catch (RuntimeException e) {
      throw bad("'data' is not JSON");
    }
    // Counting chars first avoids encoding a huge string just to learn it is too big.
    if (encoded.length() > maxDataBytes || encoded.getBytes(StandardCharsets.UTF_8).length > maxDataBytes) {
      throw Failure.TOO_LARGE.exception("'data' is larger than the limit of " + maxDataBytes + " bytes");
    }
    return encoded;
  }

  private static Instant runAt(JsonObject json) {
    String runAt = text(json, "runAt");
    Integer delay = (Integer) FIELDS.get("delaySeconds").check(json.getValue("delaySeconds"));
    if (runAt != null && delay != null) {
      throw bad("give 'runAt' or 'delaySeconds', not both");
    }
    if (delay != null) {
      return Instant.now().plusSeconds(delay);
    }
    try {
      return runAt == null ? null : Instant.parse(runAt);
    } catch (DateTimeParseException e) {
      throw bad("'runAt' must be an ISO-8601 UTC timestamp such as 2026-01-31T12:00:00Z, not " + FieldRule.show(runAt));
    }
  }

  private static List<Long> dependsOn(JsonObject json) {
    Object value = FIELDS.get("dependsOn").check(json.getValue("dependsOn"));
    if (value == null) {
      return List.of();
    }
    List<Long> ids = new ArrayList<>();
    JsonArray array = (JsonArray) value;
    for (int i = 0; i < array.size(); i++) {
      long id = FieldRule.wholeNumber("dependsOn[" + i + "]", array.getValue(i), 1, Long.MAX_VALUE);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  private static String finalizeUrl(JsonObject json) {
    String url = text(json, "finalizeUrl");
    if (url == null) {
      return null;
    }
    try {
      URI uri = URI.create(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw bad("'finalizeUrl' must be an absolute http or https URL");
    }
    return url;
  }

  private static TaskhubException bad(String message) {
    return Failure.BAD_REQUEST.exception(message);
  }

  /** Parses a registration body: one task, or {@code {"tasks":[…]}}; returns the specs and whether it was a batch. */
  public static List<TaskSpec> listFromJson(JsonObject body, int maxDataBytes, int maxBatch) {
    if (body == null) {
      throw bad("the body must be a JSON object: a task, or {\"tasks\": [...]}");
    }
    if (!body.containsKey("tasks")) {
      return List.of(fromJson(body, maxDataBytes));
    }
    for (String field : body.fieldNames()) {
      if (!field.equals("tasks")) {
        throw bad("unknown field '" + field + "': use tasks"); // a batch holds nothing else
      }
    }
    if (!(body.getValue("tasks") instanceof JsonArray array)) {
      throw bad("'tasks' must be an array, not " + FieldRule.show(body.getValue("tasks")));
    }
    if (array.isEmpty() || array.size() > maxBatch) {
      throw bad("a batch holds from 1 to " + maxBatch + " tasks");
    }
    List<TaskSpec> specs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        specs.add(fromJson(array.getValue(i) instanceof JsonObject task ? task : null, maxDataBytes));
      } catch (TaskhubException e) {
        throw e.failure().exception("tasks[" + i + "]: " + e.getMessage());
      }
    }
    return specs;
  }
}
