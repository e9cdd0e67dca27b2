package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

/**
 * Reads configuration keys such as {@code agent.executorTimeoutSeconds} from a verticle's config, whether it was
 * written flat (the launcher passes dotted keys) or nested (a hand-written {@code -conf} file for {@code run}).
 */
public final class Settings {
  private final JsonObject config;

  private Settings(JsonObject config) {
    this.config = config == null ? new JsonObject() : config;
  }

  public static Settings of(JsonObject config) {
    return new Settings(config);
  }

  public JsonObject json() {
    return config;
  }

  public Object value(String key) {
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

  public String string(String key, String dflt) {
    Object v = value(key);
    return v == null || v.toString().isBlank() ? dflt : v.toString();
  }

  public int integer(String key, int dflt) {
    Object v = value(key);
    if (v == null || v.toString().isBlank()) {
      return dflt;
    }
    try {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key '" + key + "' must be an integer, not '" + v + "'");
    }
  }

  public Double decimal(String key) {
    Object v = value(key);
    if (v == null || v.toString().isBlank()) {
      return null;
    }
    try {
      return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key '" + key + "' must be a number, not '" + v + "'");
    }
  }

  public boolean bool(String key, boolean dflt) {
    Object v = value(key);
    return v == null || v.toString().isBlank() ? dflt : Boolean.parseBoolean(v.toString().trim());
  }
}
