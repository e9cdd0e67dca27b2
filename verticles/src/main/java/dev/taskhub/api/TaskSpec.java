package dev.taskhub.api;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller asks for when registering a task, validated. {@link #fromJson} is the single gate for every
 * interface (HTTP, event bus, CLI): anything it refuses is a {@link Failure#BAD_REQUEST} that names the field.
 */
public record TaskSpec(
    String type,
    String data,
    Priority priority,
    Instant runAt,
    int maxAttempts,
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
  private static final int MAX_ATTEMPTS = 100;
  private static final int MAX_TEXT = 200;
  private static final int MAX_DEPENDENCIES = 1000;
  /** Every field a task spec may have; anything else is refused. */
  public static final Set<String> FIELDS = Set.of("type", "data", "priority", "runAt", "delaySeconds", "maxAttempts",
      "timeoutSeconds", "dependsOn", "runIf", "key", "title", "tag", "app", "finalizeUrl");

  /** When a task with predecessors may run: after all of them are DONE, or after all of them ended whatever way. */
  public enum RunIf {
    success, always
  }

  public static TaskSpec of(String type, JsonObject data) {
    return fromJson(new JsonObject().put("type", type).put("data", data), DEFAULT_MAX_DATA_BYTES);
  }

  public static TaskSpec fromJson(JsonObject json, int maxDataBytes) {
    if (json == null) {
      throw bad("a task must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw bad("unknown field '" + field + "': a task has " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    String type = string(json, "type", 64);
    if (type == null) {
      throw bad("'type' is required: the name of an executor");
    }
    if (!TYPE.matcher(type).matches()) {
      throw bad("invalid type '" + type + "': letters, digits, '.', '_' and '-' only, starting with a letter or digit, at most 64");
    }
    String data = encodeData(json.getValue("data"), maxDataBytes);
    Priority priority = json.getValue("priority") == null ? Priority.Normal : Priority.parse(string(json, "priority", 32));
    Instant runAt = runAt(json);
    int maxAttempts = integer(json, "maxAttempts", 1, MAX_ATTEMPTS, 1);
    Integer timeout = json.getValue("timeoutSeconds") == null ? null : integer(json, "timeoutSeconds", 1, 7 * 24 * 3600, 0);
    List<Long> dependsOn = dependsOn(json);
    RunIf runIf = RunIf.success;
    if (json.getValue("runIf") != null) {
      try {
        runIf = RunIf.valueOf(string(json, "runIf", 16));
      } catch (IllegalArgumentException e) {
        throw bad("'runIf' must be 'success' or 'always'");
      }
    }
    String key = string(json, "key", MAX_TEXT);
    String title = string(json, "title", MAX_TEXT);
    String tag = string(json, "tag", MAX_TEXT);
    String app = string(json, "app", MAX_TEXT);
    String finalizeUrl = finalizeUrl(json);
    return new TaskSpec(type, data, priority, runAt, maxAttempts, timeout, dependsOn, runIf, key, title, tag, app, finalizeUrl);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("data", Json.decodeValue(data))
        .put("priority", priority.name()).put("maxAttempts", maxAttempts).put("runIf", runIf.name());
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
    Object runAt = json.getValue("runAt");
    Object delay = json.getValue("delaySeconds");
    if (runAt != null && delay != null) {
      throw bad("give 'runAt' or 'delaySeconds', not both");
    }
    if (delay != null) {
      return Instant.now().plusSeconds(integer(json, "delaySeconds", 0, 366 * 24 * 3600, 0));
    }
    if (runAt == null) {
      return null;
    }
    try {
      return Instant.parse(string(json, "runAt", 64));
    } catch (DateTimeParseException e) {
      throw bad("'runAt' must be an ISO-8601 UTC timestamp such as 2026-01-31T12:00:00Z");
    }
  }

  private static List<Long> dependsOn(JsonObject json) {
    Object value = json.getValue("dependsOn");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw bad("'dependsOn' must be an array of task ids");
    }
    if (array.size() > MAX_DEPENDENCIES) {
      throw bad("'dependsOn' may name at most " + MAX_DEPENDENCIES + " tasks");
    }
    List<Long> ids = new ArrayList<>();
    for (Object id : array) {
      if (!(id instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
        throw bad("'dependsOn' must hold positive integer task ids, not " + Json.encode(id));
      }
      if (!ids.contains(n.longValue())) {
        ids.add(n.longValue());
      }
    }
    return List.copyOf(ids);
  }

  private static String finalizeUrl(JsonObject json) {
    String url = string(json, "finalizeUrl", 2000);
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

  private static String string(JsonObject json, String field, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw bad("'" + field + "' must be a string");
    }
    if (s.length() > maxLength) {
      throw bad("'" + field + "' is longer than " + maxLength + " characters");
    }
    return s;
  }

  private static int integer(JsonObject json, String field, int min, int max, int dflt) {
    Object value = json.getValue(field);
    if (value == null) {
      return dflt;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad("'" + field + "' must be an integer");
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      throw bad("'" + field + "' must be between " + min + " and " + max);
    }
    return n.intValue();
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
    if (body.size() != 1 || !(body.getValue("tasks") instanceof JsonArray array)) {
      throw bad("a batch is {\"tasks\": [task, ...]} and nothing else");
    }
    if (array.isEmpty() || array.size() > maxBatch) {
      throw bad("a batch holds from 1 to " + maxBatch + " tasks");
    }
    List<TaskSpec> specs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof JsonObject task)) {
        throw bad("tasks[" + i + "] must be a JSON object");
      }
      try {
        specs.add(fromJson(task, maxDataBytes));
      } catch (TaskhubException e) {
        throw e.failure().exception("tasks[" + i + "]: " + e.getMessage());
      }
    }
    return specs;
  }
}
