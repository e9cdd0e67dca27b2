package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Shows a followed task. On a terminal one line is redrawn in place ({@code \r}): state, a bar, the percent and
 * the executor's last message. Elsewhere (a pipe, a log file, CI) a plain line is printed whenever something a
 * reader would notice changes, so the output stays readable and greppable.
 */
abstract class ProgressView {
  protected final PrintStream out;

  ProgressView(PrintStream out) {
    this.out = out;
  }

  static ProgressView forThisTerminal() {
    return System.console() != null ? new Bar(System.out, width()) : new Lines(System.out);
  }

  abstract void show(JsonObject task);

  /** The task ended: the last word, and its result or error. */
  void end(JsonObject task) {
    String result = task.getString("resultData");
    String message = TaskText.message(task);
    out.println(TaskText.headline(task) + (task.getInteger("resultCode") == null ? "" : " (exit code " + task.getInteger("resultCode") + ")"));
    if (!"DONE".equals(task.getString("state")) && !message.isEmpty()) {
      out.println(message);
    }
    if (result != null) {
      out.println(result);
    }
  }

  private static int width() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80")));
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  /** A line per visible change: state, whole percent, message. */
  static final class Lines extends ProgressView {
    private String last;

    Lines(PrintStream out) {
      super(out);
    }

    @Override
    void show(JsonObject task) {
      String line = String.join(" ", Stream.of(TaskText.headline(task), TaskText.progress(task), TaskText.message(task),
          TaskText.subtask(task)).filter(part -> !part.isEmpty()).toList());
      if (!FollowTask.isFinal(task) && !line.equals(last)) {
        out.println(line);
        last = line;
      }
    }
  }

  /** One line redrawn in place. */
  static final class Bar extends ProgressView {
    private static final int BAR = 24;
    private final int width;
    private String last = "";

    Bar(PrintStream out, int width) {
      super(out);
      this.width = width;
    }

    @Override
    void show(JsonObject task) {
      if (FollowTask.isFinal(task)) {
        return;
      }
      Double progress = task.getDouble("progress");
      int filled = progress == null ? 0 : (int) Math.round(Math.max(0, Math.min(100, progress)) * BAR / 100);
      String line = String.format("task %d %-9s [%s%s] %4s  %s %s", task.getLong("id"), task.getString("state"),
          "#".repeat(filled), ".".repeat(BAR - filled), TaskText.progress(task), TaskText.message(task), TaskText.subtask(task)).stripTrailing();
      line = TaskText.cut(line, width - 1);
      if (!Objects.equals(line, last)) {
        out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
        out.flush();
        last = line;
      }
    }

    @Override
    void end(JsonObject task) {
      if (!last.isEmpty()) {
        out.print("\r" + " ".repeat(last.length()) + "\r");
      }
      super.end(task);
    }
  }
}
