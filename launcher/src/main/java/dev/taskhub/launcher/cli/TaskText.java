package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How a task reads on a terminal: one line, or a block of fields. */
final class TaskText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private TaskText() {
  }

  /** "task 12 (wordcount) DONE" */
  static String headline(JsonObject task) {
    return "task " + task.getLong("id") + " (" + task.getString("type") + ") " + task.getString("state");
  }

  static String progress(JsonObject task) {
    Double p = task.getDouble("progress");
    return p == null ? "" : Math.round(p) + "%";
  }

  /** What the task says about itself now: its progress message, or its error. */
  static String message(JsonObject task) {
    JsonObject error = task.getJsonObject("error");
    if (error != null && !"DONE".equals(task.getString("state"))) {
      String type = error.getString("type");
      return (type == null ? "" : type + ": ") + error.getString("message", "");
    }
    String message = task.getString("progressMessage");
    return message == null ? "" : message;
  }

  /**
   * The current subtask and its own progress, from {@code progressDetails} ({@code StartSubtask:} and the structured
   * {@code Progress: {"p": …, "pm": …}}): "[Resizing 3/10]", the title left out when the message already says it;
   * "" when the executor names no subtask and reports no subtask progress.
   */
  static String subtask(JsonObject task) {
    JsonObject details = task.getJsonObject("progressDetails");
    if (details == null || "DONE".equals(task.getString("state"))) {
      return "";
    }
    JsonObject subtask = details.getJsonObject("subtask");
    JsonObject structured = details.getJsonObject("structured");
    String title = subtask == null ? null : subtask.getString("t", subtask.getString("id"));
    String steps = null;
    if (structured != null && structured.getValue("p") instanceof Number p && structured.getValue("pm") instanceof Number pm
        && (structured.getValue("subtaskId") == null
            || subtask != null && String.valueOf(structured.getValue("subtaskId")).equals(String.valueOf(subtask.getValue("id"))))) {
      steps = number(p) + "/" + number(pm);
    }
    if (title != null && title.equals(task.getString("progressMessage"))) {
      title = null;
    }
    String text = ((title == null ? "" : title) + " " + (steps == null ? "" : steps)).trim();
    return text.isEmpty() ? "" : "[" + text + "]";
  }

  private static String number(Number n) {
    return n.doubleValue() == Math.rint(n.doubleValue()) ? Long.toString(n.longValue()) : n.toString();
  }

  static String time(String iso) {
    return iso == null ? "" : TIME.format(Instant.parse(iso));
  }

  static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    String line = text.replace('\n', ' ');
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }

  /** The fields of {@code show}. */
  static String details(JsonObject task) {
    StringBuilder out = new StringBuilder(headline(task)).append('\n');
    field(out, "title", task.getString("title"));
    field(out, "priority", task.getString("priority"));
    field(out, "progress", (progress(task) + "  " + (task.getString("progressMessage") == null ? "" : task.getString("progressMessage"))
        + "  " + subtask(task)).trim());
    field(out, "attempts", task.getInteger("attempts") + " of " + task.getInteger("maxAttempts"));
    field(out, "tag", task.getString("tag"));
    field(out, "app", task.getString("app"));
    field(out, "schedule", task.getString("schedule") == null ? null
        : task.getString("schedule") + " (tick " + time(task.getString("scheduledFor")) + ")");
    field(out, "depends on", task.getJsonArray("dependsOn").isEmpty() ? null : task.getJsonArray("dependsOn").encode() + " (run if " + task.getString("runIf") + ")");
    field(out, "created", time(task.getString("createdAt")));
    field(out, "runs at", time(task.getString("runAt")));
    field(out, "started", time(task.getString("startedAt")));
    field(out, "finished", time(task.getString("finishedAt")));
    field(out, "node", task.getString("node"));
    field(out, "agent", task.getString("agent"));
    field(out, "exit code", task.getInteger("resultCode") == null ? null : task.getInteger("resultCode").toString());
    field(out, "result", task.getString("resultData"));
    JsonObject error = task.getJsonObject("error");
    field(out, "error", error == null ? null : error.getString("type", "Error") + ": " + error.getString("message", ""));
    field(out, "data", task.getValue("data") == null ? null : cut(String.valueOf(task.getValue("data")), 200));
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    if (value != null && !value.isBlank()) {
      out.append(String.format("  %-11s %s%n", name, value.replace("\n", "\n              ")));
    }
  }
}
