package dev.taskhub.config;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one configuration key from a verticle's config, written flat (the launcher passes dotted keys) or nested (a
 * hand-written {@code -conf} file for {@code run}), and falls back to {@code default.yaml}, the one place that states
 * a default. A value of the wrong kind is refused naming its key, so a typo stops the node at start, not later.
 */
final class ConfigValues {
  private final JsonObject config;
  private final Map<String, String> defaults;

  ConfigValues(JsonObject config, Map<String, String> defaults) {
    this.config = config == null ? new JsonObject() : config;
    this.defaults = defaults;
  }

  /** The configured text, else the default; null when both are empty (the key is unset). */
  String string(String key) {
    Object v = raw(key);
    String text = v == null || v.toString().isBlank() ? defaults.get(key) : v.toString().trim();
    return text == null || text.isBlank() ? null : text;
  }

  String string(String key, String fallback) {
    String text = string(key);
    return text == null ? fallback : text;
  }

  int integer(String key) {
    String text = required(key);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key '" + key + "' must be an integer, not '" + text + "'");
    }
  }

  /** A number, or null when unset (no limit). */
  Double decimal(String key) {
    String text = string(key);
    if (text == null) {
      return null;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key '" + key + "' must be a number, not '" + text + "'");
    }
  }

  boolean bool(String key) {
    String text = required(key);
    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("configuration key '" + key + "' must be true or false, not '" + text + "'");
    }
    return Boolean.parseBoolean(text);
  }

  private String required(String key) {
    String text = string(key);
    if (text == null) {
      throw new IllegalArgumentException("configuration key '" + key + "' needs a value (see conf/default.yaml)");
    }
    return text;
  }

  private Object raw(String key) {
    if (config.containsKey(key)) {
      return config.getValue(key);
    }
    Object node = config;
    for (String part : key.split("\\.")) {
      if (!(node instanceof JsonObject json)) {
        return null;
      }
      node = json.getValue(part);
    }
    return node;
  }

  /**
   * The {@code types.<type>.<setting>} keys, flat as the launcher passes them or nested as a {@code -conf} file holds
   * them ({@code {"types": {"report": {"maxRunning": 2}}}}), their values as text ("" for null).
   */
  static Map<String, String> typeKeys(JsonObject config) {
    Map<String, String> keys = new LinkedHashMap<>();
    if (config != null) {
      config.forEach(e -> {
        if (e.getKey().startsWith("types.")) {
          keys.put(e.getKey(), e.getValue() == null ? "" : e.getValue().toString());
        } else if (e.getKey().equals("types") && e.getValue() instanceof JsonObject nested) {
          flatten("types", nested, keys);
        }
      });
    }
    return keys;
  }

  private static void flatten(String prefix, JsonObject json, Map<String, String> into) {
    json.forEach(e -> {
      if (e.getValue() instanceof JsonObject nested) {
        flatten(prefix + "." + e.getKey(), nested, into);
      } else {
        into.put(prefix + "." + e.getKey(), e.getValue() == null ? "" : e.getValue().toString());
      }
    });
  }
}
