package dev.taskhub.protocol;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an executor uses to speak the line protocol, so that no executor has to get the prefixes, the one-line rule or
 * JSON escaping right by hand. Every call writes exactly one whole line (newlines in text become spaces) and flushes,
 * so the agent sees it at once and lines from several threads never interleave.
 */
public final class ProtocolWriter {

  private final PrintStream out;

  /**
   * Writes to {@code System.out}, encoded as UTF-8 whatever the platform's default encoding is (the agent reads
   * UTF-8); the bytes go through {@code System.out} itself, so they stay in order with anything else printed there.
   */
  public ProtocolWriter() {
    this(new PrintStream(System.out, true, StandardCharsets.UTF_8));
  }

  public ProtocolWriter(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** {@code Progress: 65%} — clamped to 0–100, whole numbers without decimals. */
  public void progress(double percent) {
    if (Double.isNaN(percent)) {
      throw new IllegalArgumentException("percent is NaN");
    }
    double clamped = Math.max(0.0, Math.min(100.0, percent));
    line(LineParser.PROGRESS, BigDecimal.valueOf(clamped).stripTrailingZeros().toPlainString() + "%");
  }

  /** {@code Progress: some text} — a status message (an empty one makes a line the parser reads as log). */
  public void progress(String message) {
    line(LineParser.PROGRESS, oneLine(message));
  }

  /** {@code Progress: {"op":3,"opm":10,"p":1,"pm":4,"d":"…"}} — overall and current-step progress with details. */
  public void progress(int overallDone, int overallTotal, int stepDone, int stepTotal, String details) {
    line(LineParser.PROGRESS, "{\"op\":" + overallDone + ",\"opm\":" + overallTotal
        + ",\"p\":" + stepDone + ",\"pm\":" + stepTotal + ",\"d\":" + jsonString(details) + "}");
  }

  /** {@code StartSubtask: {"id":…,"t":…,"d":…}} — a named part of the task begins. */
  public void startSubtask(String id, String title, String details) {
    line(LineParser.START_SUBTASK,
        "{\"id\":" + jsonString(id) + ",\"t\":" + jsonString(title) + ",\"d\":" + jsonString(details) + "}");
  }

  /** {@code FinishSubtask: {"id":…}} — the named part of the task ends. */
  public void finishSubtask(String id) {
    line(LineParser.FINISH_SUBTASK, "{\"id\":" + jsonString(id) + "}");
  }

  /** One {@code ResultData:} line per line of {@code text} (the agent joins them again). */
  public void resultData(String text) {
    String remaining = text == null ? "" : text;
    int start = 0;
    do {
      int end = start;
      while (end < remaining.length() && remaining.charAt(end) != '\n' && remaining.charAt(end) != '\r') {
        end++;
      }
      line(LineParser.RESULT_DATA, remaining.substring(start, end));
      if (end < remaining.length() && remaining.charAt(end) == '\r'
          && end + 1 < remaining.length() && remaining.charAt(end + 1) == '\n') {
        end++;
      }
      start = end + 1;
    } while (start < remaining.length());
  }

  /** {@code ERROR: {"type":…,"message":…,"stackTrace":…}} — the task fails. */
  public void error(String type, String message, String stackTrace) {
    line(LineParser.ERROR, "{\"type\":" + jsonString(type) + ",\"message\":" + jsonString(message)
        + ",\"stackTrace\":" + jsonString(stackTrace) + "}");
  }

  /** The ERROR object of {@code t}: its class name, message and stack trace. */
  public void error(Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    error(t.getClass().getName(), t.getMessage(), trace.toString());
  }

  /** A plain line for the task's log; a text that starts with a protocol prefix is read as that kind of line. */
  public void log(String text) {
    emit(oneLine(text));
  }

  /** {@code s} as a JSON string literal with its quotes, or {@code null}; control characters are escaped. */
  public static String jsonString(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder json = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20) {
            json.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }

  private void line(String prefix, String payload) {
    emit(payload.isEmpty() ? prefix : prefix + " " + payload);
  }

  private void emit(String line) {
    // One print call per line: PrintStream locks per call, so concurrent lines never interleave.
    out.print(line + "\n");
    out.flush();
  }

  /** Newlines ({@code \n}, {@code \r\n} or a lone {@code \r}) become single spaces; null becomes "". */
  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    StringBuilder line = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        continue;
      }
      line.append(c == '\n' || c == '\r' ? ' ' : c);
    }
    return line.toString();
  }
}
