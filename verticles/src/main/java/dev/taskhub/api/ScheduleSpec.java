package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A recurring schedule as a caller gives it ({@code PUT /api/schedules/{name}}), validated: the single gate for every
 * interface. {@code task} is a task spec exactly as {@code POST /api/tasks} takes it, checked by {@link TaskSpec};
 * {@code cron} and {@code timezone} by {@link Cron}. A refusal is a {@link Failure#BAD_REQUEST} naming the field.
 */
public record ScheduleSpec(String name, Cron cron, JsonObject task, boolean paused) {

  /** A schedule's name: like a task type, so it is safe in a URL path and a table column. */
  public static final Pattern NAME = TaskSpec.TYPE;

  public static final Map<String, FieldRule> FIELDS = FieldRule.table(
      FieldRule.text("cron", 1, 200),
      FieldRule.text("timezone", 1, 64),
      FieldRule.of("task", "object"),
      FieldRule.of("paused", "boolean"));

  /** A change of a schedule ({@code PATCH /api/schedules/{name}}): {@code {"action": "pause" | "resume"}}. */
  public static final Map<String, FieldRule> CHANGE_FIELDS = FieldRule.table(FieldRule.oneOf("action", List.of("pause", "resume")));

  /** The action of a change, checked; a refusal names the field. */
  public static String action(JsonObject json) {
    FieldRule.refuseUnknown(json, CHANGE_FIELDS);
    String action = (String) CHANGE_FIELDS.get("action").check(json.getValue("action"));
    if (action == null) {
      throw bad("'action' is required: pause or resume");
    }
    return action;
  }

  public static ScheduleSpec fromJson(String name, JsonObject json, int maxDataBytes) {
    checkName(name);
    if (json == null) {
      throw bad("a schedule must be a JSON object: {\"cron\": …, \"timezone\": …, \"task\": {…}}");
    }
    FieldRule.refuseUnknown(json, FIELDS);
    String cron = (String) FIELDS.get("cron").check(json.getValue("cron"));
    if (cron == null) {
      throw bad("'cron' is required: 5 fields (minute first) or 6 (second first), e.g. \"0 */5 * * * *\"");
    }
    String timezone = (String) FIELDS.get("timezone").check(json.getValue("timezone"));
    JsonObject task = (JsonObject) FIELDS.get("task").check(json.getValue("task"));
    if (task == null) {
      throw bad("'task' is required: a task as POST /api/tasks takes it, e.g. {\"type\": \"report\"}");
    }
    try {
      TaskSpec.fromJson(task, maxDataBytes);
    } catch (TaskhubException e) {
      throw e.failure().exception("task: " + e.getMessage());
    }
    Boolean paused = (Boolean) FIELDS.get("paused").check(json.getValue("paused"));
    return new ScheduleSpec(name, Cron.parse(cron, timezone == null ? "UTC" : timezone), task.copy(),
        paused != null && paused);
  }

  /** Refuses a name that is not a schedule's name. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw bad("invalid schedule name " + FieldRule.show(name) + ": it must match " + NAME.pattern());
    }
    return name;
  }

  public String expression() {
    return cron.expression();
  }

  public String timezone() {
    return cron.zone().getId();
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("cron", expression()).put("timezone", timezone())
        .put("task", task.copy()).put("paused", paused);
  }

  private static TaskhubException bad(String message) {
    return Failure.BAD_REQUEST.exception(message);
  }
}
