package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task type's settings ({@code PUT /api/types/{type}}, {@code types.<type>.*} in the configuration): limits on its
 * RUNNING tasks — {@code maxRunning} across the cluster, {@code maxRunningPerNode} on each node — and the defaults of
 * its registrations that leave them out ({@code maxAttempts}, {@code timeoutSeconds}, {@code priority}). Null is unset:
 * no limit, or the built-in default (one attempt, no timeout, Normal).
 */
public record TypeSettings(Integer maxRunning, Integer maxRunningPerNode, Integer maxAttempts, Integer timeoutSeconds,
                           Priority priority) {

  public static final TypeSettings NONE = new TypeSettings(null, null, null, null, null);

  /** Every field of a change, with its rule; the defaults take a task spec's own rules. JSON null clears a field. */
  public static final Map<String, FieldRule> FIELDS = FieldRule.table(
      FieldRule.integer("maxRunning", 0, 100_000),
      FieldRule.integer("maxRunningPerNode", 0, 100_000),
      TaskSpec.FIELDS.get("maxAttempts"),
      TaskSpec.FIELDS.get("timeoutSeconds"),
      TaskSpec.FIELDS.get("priority"));

  /** Whether a claim of this type must count its RUNNING tasks. */
  public boolean limited() {
    return maxRunning != null || maxRunningPerNode != null;
  }

  /** All five fields, null where unset. */
  public JsonObject toJson() {
    return new JsonObject().put("maxRunning", maxRunning).put("maxRunningPerNode", maxRunningPerNode)
        .put("maxAttempts", maxAttempts).put("timeoutSeconds", timeoutSeconds)
        .put("priority", priority == null ? null : priority.name());
  }

  /** The form {@link #toJson} writes (a hub's answer): not checked again. */
  public static TypeSettings fromJson(JsonObject json) {
    String priority = json.getString("priority");
    return new TypeSettings(json.getInteger("maxRunning"), json.getInteger("maxRunningPerNode"),
        json.getInteger("maxAttempts"), json.getInteger("timeoutSeconds"), priority == null ? null : Priority.valueOf(priority));
  }

  /** Refuses a name that is not a task type's. */
  public static String checkType(String type) {
    if (type == null || !TaskSpec.TYPE.matcher(type).matches()) {
      throw Failure.BAD_REQUEST.exception("invalid type " + FieldRule.show(type) + ": it must match " + TaskSpec.TYPE.pattern());
    }
    return type;
  }

  /**
   * A change of one type's settings, validated: the fields {@code given} are set to {@code values} (null clears
   * one), the others stay as they are. The single gate for every interface; a refusal names the field.
   */
  public record Change(String type, TypeSettings values, Set<String> given) {

    public static Change fromJson(String type, JsonObject body) {
      checkType(type);
      if (body == null) {
        throw Failure.BAD_REQUEST.exception("the settings must be a JSON object, e.g. {\"maxRunning\": 2}");
      }
      FieldRule.refuseUnknown(body, FIELDS);
      String priority = (String) FIELDS.get("priority").check(body.getValue("priority"));
      TypeSettings values = new TypeSettings(integer(body, "maxRunning"), integer(body, "maxRunningPerNode"),
          integer(body, "maxAttempts"), integer(body, "timeoutSeconds"), priority == null ? null : Priority.parse(priority));
      return new Change(type, values, new LinkedHashSet<>(body.fieldNames()));
    }

    private static Integer integer(JsonObject body, String field) {
      return (Integer) FIELDS.get(field).check(body.getValue(field));
    }

    /** {@code current} with this change made. */
    public TypeSettings applyTo(TypeSettings current) {
      return new TypeSettings(
          given.contains("maxRunning") ? values.maxRunning : current.maxRunning,
          given.contains("maxRunningPerNode") ? values.maxRunningPerNode : current.maxRunningPerNode,
          given.contains("maxAttempts") ? values.maxAttempts : current.maxAttempts,
          given.contains("timeoutSeconds") ? values.timeoutSeconds : current.timeoutSeconds,
          given.contains("priority") ? values.priority : current.priority);
    }

    /** The body this change was made from: the fields given, null for those it clears. */
    public JsonObject toJson() {
      JsonObject all = values.toJson();
      JsonObject json = new JsonObject();
      given.forEach(field -> json.put(field, all.getValue(field)));
      return json;
    }
  }

  /**
   * The changes the configuration asks for: keys {@code types.<type>.<field>} (a type may hold dots: the field is
   * after the last one), values as text, empty for null (clears the field). A bad key or value is refused naming it.
   */
  public static List<Change> fromConfig(Map<String, String> flat) {
    Map<String, JsonObject> byType = new LinkedHashMap<>();
    flat.forEach((key, text) -> {
      if (!key.startsWith("types.")) {
        return;
      }
      int dot = key.lastIndexOf('.');
      String type = dot > "types.".length() ? key.substring("types.".length(), dot) : "";
      String field = key.substring(dot + 1);
      if (type.isEmpty() || !FIELDS.containsKey(field)) {
        throw new IllegalArgumentException("configuration key '" + key + "' is not types.<type>.<setting>: the settings are "
            + String.join(", ", FIELDS.keySet()));
      }
      byType.computeIfAbsent(type, t -> new JsonObject()).put(field, configValue(key, field, text));
    });
    List<Change> changes = new ArrayList<>();
    byType.forEach((type, body) -> {
      try {
        changes.add(Change.fromJson(type, body));
      } catch (TaskhubException e) {
        throw new IllegalArgumentException("configuration types." + type + ": " + e.getMessage());
      }
    });
    return changes;
  }

  private static Object configValue(String key, String field, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (!"integer".equals(FIELDS.get(field).type())) {
      return text.trim();
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key '" + key + "' must be an integer, not '" + text + "'");
    }
  }
}
