package dev.taskhub.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Makes an executor's output storable: PostgreSQL's {@code text} cannot hold U+0000 and its {@code jsonb} refuses
 * the JSON escape for it, so one NUL in a progress message, a result or a log line would make every report and the
 * completion fail: the lease lapses and the task runs again, forever. Each NUL becomes U+FFFD (the replacement
 * character), rather than vanishing, so a reader sees that something was there; nothing else changes.
 */
final class Storable {
  static final char REPLACEMENT = '\uFFFD';

  private Storable() {
  }

  static String text(String s) {
    return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', REPLACEMENT);
  }

  /** A copy of {@code json} whose keys and strings, at any depth, hold no NUL (the object itself when none does). */
  static JsonObject json(JsonObject json) {
    if (json == null || !holdsNul(json)) {
      return json;
    }
    JsonObject clean = new JsonObject();
    for (Map.Entry<String, Object> e : json) {
      clean.put(text(e.getKey()), value(e.getValue()));
    }
    return clean;
  }

  private static Object value(Object v) {
    if (v instanceof String s) {
      return text(s);
    }
    if (v instanceof JsonObject o) {
      return json(o);
    }
    if (v instanceof JsonArray a) {
      JsonArray clean = new JsonArray();
      a.forEach(item -> clean.add(value(item)));
      return clean;
    }
    return v;
  }

  private static boolean holdsNul(Object v) {
    if (v instanceof String s) {
      return s.indexOf('\0') >= 0;
    }
    if (v instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (holdsNul(e.getKey()) || holdsNul(e.getValue())) {
          return true;
        }
      }
    } else if (v instanceof JsonArray a) {
      for (Object item : a) {
        if (holdsNul(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
