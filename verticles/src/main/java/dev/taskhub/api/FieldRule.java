package dev.taskhub.api;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rule of one field of a request body (a task spec, a change, a schedule), stated once: its JSON {@code type}
 * ({@code string}, {@code integer}, {@code array}, {@code object}, {@code boolean}, or null for any JSON); {@code min} and {@code max} bound a string's
 * length, an integer's value or an array's size; a string may have to match {@code pattern} or be one of
 * {@code values}. A refusal names the field and says what it must be instead. The OpenAPI document states the same
 * limits for its readers; ContractTest holds it to these rules.
 */
public record FieldRule(String name, String type, Long min, Long max, Pattern pattern, List<String> values) {

  static FieldRule text(String name, long minLength, long maxLength) {
    return new FieldRule(name, "string", minLength == 0 ? null : minLength, maxLength, null, List.of());
  }

  static FieldRule integer(String name, long min, long max) {
    return new FieldRule(name, "integer", min, max, null, List.of());
  }

  static FieldRule oneOf(String name, List<String> values) {
    return new FieldRule(name, "string", null, null, null, values);
  }

  static FieldRule of(String name, String type) {
    return new FieldRule(name, type, null, null, null, List.of());
  }

  FieldRule matching(Pattern pattern) {
    return new FieldRule(name, type, min, max, pattern, values);
  }

  static Map<String, FieldRule> table(FieldRule... fields) {
    Map<String, FieldRule> table = new LinkedHashMap<>();
    Arrays.stream(fields).forEach(f -> table.put(f.name(), f));
    return Collections.unmodifiableMap(table);
  }

  static void refuseUnknown(JsonObject json, Map<String, FieldRule> fields) {
    for (String name : json.fieldNames()) {
      if (!fields.containsKey(name)) {
        throw bad("unknown field '" + name + "': use " + String.join(", ", new TreeSet<>(fields.keySet())));
      }
    }
  }

  /** The value held to this rule: a String, an Integer, a JsonArray, a JsonObject or a Boolean as the type says; null when absent. */
  public Object check(Object value) {
    if (value == null || type == null) {
      return value;
    }
    return switch (type) {
      case "string" -> string(value);
      case "integer" -> (int) wholeNumber(name, value, min, max);
      case "array" -> {
        if (!(value instanceof JsonArray array)) {
          throw bad("'" + name + "' must be an array, not " + show(value));
        }
        if (array.size() > max) {
          throw bad("'" + name + "' may hold at most " + max + " items");
        }
        yield array;
      }
      case "object" -> {
        if (!(value instanceof JsonObject object)) {
          throw bad("'" + name + "' must be a JSON object, not " + show(value));
        }
        yield object;
      }
      case "boolean" -> {
        if (!(value instanceof Boolean flag)) {
          throw bad("'" + name + "' must be true or false, not " + show(value));
        }
        yield flag;
      }
      default -> throw new IllegalStateException("no rule for the type " + type);
    };
  }

  private String string(Object value) {
    if (!(value instanceof String s)) {
      throw bad("'" + name + "' must be a string, not " + show(value));
    }
    if (s.indexOf('\0') >= 0) {
      throw bad(containsNul(name)); // PostgreSQL's text cannot hold it: refused here rather than by the database
    }
    if (min != null && s.length() < min) {
      throw bad(min == 1 ? "'" + name + "' must not be empty" : "'" + name + "' must be at least " + min + " characters long");
    }
    if (max != null && s.length() > max) {
      throw bad("'" + name + "' is longer than " + max + " characters");
    }
    if (pattern != null && !pattern.matcher(s).matches()) {
      throw bad("invalid " + name + " " + show(s) + ": it must match " + pattern.pattern());
    }
    if (!values.isEmpty() && !values.contains(s)) {
      throw bad("'" + name + "' must be one of " + String.join(", ", values) + ", not " + show(s));
    }
    return s;
  }

  static long wholeNumber(String name, Object value, long min, long max) {
    BigDecimal n = decimal(value);
    if (n == null || n.stripTrailingZeros().scale() > 0) {
      throw bad("'" + name + "' must be an integer, not " + show(value));
    }
    if (n.compareTo(BigDecimal.valueOf(min)) < 0) {
      throw bad("'" + name + "' must be at least " + min + ", not " + show(value));
    }
    if (n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw bad("'" + name + "' must be at most " + max + ", not " + show(value));
    }
    return n.longValueExact();
  }

  /** Exact, whatever JSON number class holds it (a double, a BigInteger); null for anything else. */
  private static BigDecimal decimal(Object value) {
    try {
      return value instanceof Number n ? new BigDecimal(n.toString()) : null;
    } catch (NumberFormatException e) {
      return null; // NaN, infinity
    }
  }

  /** The refusal of a string holding U+0000, which no text column can store. */
  public static String containsNul(String name) {
    return "'" + name + "' must not contain the NUL character (U+0000)";
  }

  /** A value as a refusal quotes it: a string in quotes, anything else as JSON, cut after 80 characters. */
  static String show(Object value) {
    if (value instanceof String s) {
      return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
    String json = Json.encode(value);
    return json.length() > 80 ? json.substring(0, 80) + "…" : json;
  }

  private static TaskhubException bad(String message) {
    return Failure.BAD_REQUEST.exception(message);
  }
}
