package dev.taskhub.sample;

import dev.taskhub.protocol.ExecutorMain;
import dev.taskhub.protocol.ProtocolWriter;
import dev.taskhub.protocol.TaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code wordcount} executor: counts the words of {@code {"text": "...", "top": 5}} (or of {@code {"file": "/path"}})
 * and answers the most frequent ones. It shows a real executor on the SDK: progress, subtasks, a result and errors.
 */
public final class WordCount {

  private static final int CHUNKS = 10;

  public static void main(String[] args) {
    ExecutorMain.run(args, WordCount::run);
  }

  static void run(TaskContext task, ProtocolWriter out) throws Exception {
    if (!(new Json(task.data()).document() instanceof Map<?, ?> data)) {
      throw new IllegalArgumentException("the task data must be a JSON object, was: " + task.data());
    }
    String text = data.get("text") instanceof String s ? s : null;
    if (text == null && data.get("file") instanceof String file) {
      text = Files.readString(Path.of(file));
    }
    if (text == null) {
      throw new IllegalArgumentException("the task data needs a string \"text\" or \"file\", had: " + data.keySet());
    }
    Object top = data.containsKey("top") ? data.get("top") : Double.valueOf(5);
    if (!(top instanceof Double n) || n < 1 || n != Math.floor(n)) {
      throw new IllegalArgumentException("\"top\" must be a whole number of at least 1, was: " + top);
    }

    // Count in ten chunks of the text, with a progress line after each: a sign of life on long texts.
    out.startSubtask("count", "Count words", text.length() + " characters");
    Map<String, Integer> counts = new HashMap<>();
    long words = 0;
    int chunk = Math.max(1, text.length() / CHUNKS);
    for (int i = 0, nextReport = chunk; i < text.length(); ) {
      int start = i;
      while (i < text.length() && Character.isLetterOrDigit(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      if (i > start) {
        counts.merge(text.substring(start, i).toLowerCase(Locale.ROOT), 1, Integer::sum);
        words++;
      } else {
        i += Character.charCount(text.codePointAt(i));
      }
      if (i >= nextReport) {
        out.progress(Math.floor(90.0 * i / text.length()));
        nextReport = i + chunk;
      }
    }
    out.finishSubtask("count");

    out.startSubtask("rank", "Rank words", counts.size() + " distinct words");
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    StringBuilder result = new StringBuilder("{\"words\": ").append(words).append(", \"top\": [");
    for (int i = 0; i < Math.min(n.intValue(), ranked.size()); i++) {
      result.append(i == 0 ? "" : ", ").append("{\"word\":").append(ProtocolWriter.jsonString(ranked.get(i).getKey()))
          .append(",\"count\":").append(ranked.get(i).getValue()).append('}');
    }
    out.progress(100);
    out.finishSubtask("rank");
    out.resultData(result.append("]}").toString());
  }

  /** Just enough JSON for task data: objects, arrays, strings with escapes, numbers (as Double), true, false, null. */
  private static final class Json {
    private final String s;
    private int i;

    Json(String s) { this.s = s; }

    Object document() {
      Object value = value();
      if (skipSpace() < s.length()) throw error("unexpected text after the value");
      return value;
    }

    private Object value() {
      char c = skipSpace() < s.length() ? s.charAt(i) : '\0';
      if (c == '{' || c == '[') {
        Map<String, Object> object = new LinkedHashMap<>();
        List<Object> array = new ArrayList<>();
        char close = c == '{' ? '}' : ']';
        for (i++; skipSpace() < s.length() && s.charAt(i) != close; ) {
          if (!object.isEmpty() || !array.isEmpty()) expect(',');
          if (c == '[') {
            array.add(value());
          } else {
            String key = string();
            expect(':');
            object.put(key, value());
          }
        }
        expect(close);
        return c == '{' ? object : array;
      }
      if (c == '"') return string();
      for (String word : new String[] {"true", "false", "null"}) {
        if (s.startsWith(word, i)) {
          i += word.length();
          return word.equals("null") ? null : Boolean.valueOf(word);
        }
      }
      int start = i;
      while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) i++;
      try {
        return Double.valueOf(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw error("expected a value");
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c; (c = next()) != '"'; ) {
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        int simple = "nrtbf\"\\/".indexOf(e);
        if (simple >= 0) {
          out.append("\n\r\t\b\f\"\\/".charAt(simple));
        } else if (e == 'u') {
          int code = 0;
          for (int k = 0; k < 4; k++) {
            char h = next();
            int digit = h < 128 ? Character.digit(h, 16) : -1;
            if (digit < 0) throw error("a \\u escape needs four hex digits");
            code = code * 16 + digit;
          }
          out.append((char) code);
        } else {
          throw error("unknown escape \\" + e);
        }
      }
      return out.toString();
    }

    private char next() {
      if (i >= s.length()) throw error("unexpected end");
      return s.charAt(i++);
    }

    private void expect(char c) {
      if (skipSpace() >= s.length() || s.charAt(i) != c) throw error("expected '" + c + "'");
      i++;
    }

    private int skipSpace() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
      return i;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("the task data is not valid JSON: " + what + " at offset " + i);
    }
  }
}
