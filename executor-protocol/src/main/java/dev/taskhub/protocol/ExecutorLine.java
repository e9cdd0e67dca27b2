package dev.taskhub.protocol;

/**
 * What one line of an executor's standard output means, as decided by {@link LineParser}. JSON payloads stay raw
 * text: this module has no JSON library, and the agent decodes them with its own.
 */
public sealed interface ExecutorLine {

  /** {@code Progress:} — exactly one of a percent (0–100), a status message, or the structured JSON form. */
  record Progress(Double percent, String message, String structuredJson) implements ExecutorLine {
    public Progress {
      int given = (percent != null ? 1 : 0) + (message != null ? 1 : 0) + (structuredJson != null ? 1 : 0);
      if (given != 1) {
        throw new IllegalArgumentException(
            "exactly one of percent, message and structuredJson must be given, " + given + " were");
      }
      if (percent != null) {
        if (percent.isNaN()) {
          throw new IllegalArgumentException("percent is NaN");
        }
        percent = Math.max(0.0, Math.min(100.0, percent));
      }
    }

    public static Progress ofPercent(double percent) {
      return new Progress(percent, null, null);
    }

    public static Progress ofMessage(String message) {
      return new Progress(null, message, null);
    }

    public static Progress ofStructuredJson(String json) {
      return new Progress(null, null, json);
    }
  }

  /** {@code StartSubtask:} — a named part of the task begins; {@code json} is the raw object text. */
  record StartSubtask(String json) implements ExecutorLine {}

  /** {@code FinishSubtask:} — a named part of the task ends; {@code json} is the raw object text. */
  record FinishSubtask(String json) implements ExecutorLine {}

  /** {@code ResultData:} — one line of result data (several lines are joined by the agent). */
  record ResultData(String text) implements ExecutorLine {}

  /** {@code ERROR:} — plain text, or a {@code {"type","message","stackTrace"}} object. */
  record Error(String text) implements ExecutorLine {
    public boolean looksLikeJsonObject() {
      String trimmed = text.strip();
      return trimmed.startsWith("{") && trimmed.endsWith("}");
    }
  }

  /** Any other line, kept exactly as written: it goes to the task's log. */
  record Log(String text) implements ExecutorLine {}
}
