package dev.taskhub.protocol;

import java.util.Objects;

/**
 * Turns one line of executor output into an {@link ExecutorLine}; it runs for every line every executor writes, so
 * it uses plain prefix checks and a hand-written number check instead of regular expressions.
 */
public final class LineParser {

  static final String PROGRESS = "Progress:";
  static final String START_SUBTASK = "StartSubtask:";
  static final String FINISH_SUBTASK = "FinishSubtask:";
  static final String RESULT_DATA = "ResultData:";
  static final String ERROR = "ERROR:";

  private LineParser() {}

  /** The meaning of {@code line} (given without its terminator); prefixes are case-sensitive and start the line. */
  public static ExecutorLine parse(String line) {
    Objects.requireNonNull(line, "line");
    if (line.startsWith(PROGRESS)) {
      return progress(line);
    }
    if (line.startsWith(START_SUBTASK)) {
      return new ExecutorLine.StartSubtask(payload(line, START_SUBTASK));
    }
    if (line.startsWith(FINISH_SUBTASK)) {
      return new ExecutorLine.FinishSubtask(payload(line, FINISH_SUBTASK));
    }
    if (line.startsWith(RESULT_DATA)) {
      return new ExecutorLine.ResultData(payload(line, RESULT_DATA));
    }
    if (line.startsWith(ERROR)) {
      return new ExecutorLine.Error(payload(line, ERROR));
    }
    return new ExecutorLine.Log(line);
  }

  private static ExecutorLine progress(String line) {
    String text = payload(line, PROGRESS);
    if (text.isEmpty()) {
      return new ExecutorLine.Log(line);
    }
    if (text.charAt(0) == '{' && text.charAt(text.length() - 1) == '}') {
      return ExecutorLine.Progress.ofStructuredJson(text);
    }
    Double percent = percentOrNull(text);
    return percent != null ? ExecutorLine.Progress.ofPercent(percent) : ExecutorLine.Progress.ofMessage(text);
  }

  private static String payload(String line, String prefix) {
    return line.substring(prefix.length()).strip();
  }

  /** {@code 65%}, {@code 65.5 %}, {@code -3%} → the number; anything else (e.g. {@code abc%}, {@code 1e2%}) → null. */
  private static Double percentOrNull(String text) {
    int last = text.length() - 1;
    if (last < 1 || text.charAt(last) != '%') {
      return null;
    }
    String number = text.substring(0, last).stripTrailing();
    return isPlainDecimal(number) ? Double.parseDouble(number) : null;
  }

  /** An optional sign, digits, and at most one dot, with at least one digit. */
  private static boolean isPlainDecimal(String s) {
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      i++;
    }
    boolean digit = false;
    boolean dot = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digit;
  }
}
