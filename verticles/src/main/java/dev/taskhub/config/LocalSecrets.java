package dev.taskhub.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Secrets stay on the node that holds them. A verticle run with {@code -ha} has its deployment config copied into
 * Hazelcast's HA map, which every member of the cluster can read; so the classic launcher deploys a config without
 * {@link #KEYS}, and each JVM remembers its own values (from its environment, {@code conf/override.yaml} and its
 * {@code -conf} file) here, where {@link NodeSettings#from} finds them — also for a verticle that HA moved onto it.
 */
public final class LocalSecrets {
  /** {@code db.url} may carry the database password, so the whole URL stays local. */
  public static final List<String> KEYS = List.of("db.url", "api.tokens", "finalizer.secret", "executor.token");

  private static volatile JsonObject local = new JsonObject();

  private LocalSecrets() {
  }

  /** Keeps this JVM's values of the secret keys, from its whole (flat or nested) configuration. */
  public static void remember(JsonObject config) {
    JsonObject kept = new JsonObject();
    for (String key : KEYS) {
      Object value = get(config, key);
      if (value != null && !value.toString().isBlank()) {
        kept.put(key, value);
      }
    }
    local = kept;
  }

  /** A copy of {@code config} without the secret keys, flat or nested: what may travel in cluster state. */
  public static JsonObject strip(JsonObject config) {
    JsonObject copy = config.copy();
    for (String key : KEYS) {
      copy.remove(key);
      int dot = key.indexOf('.');
      if (copy.getValue(key.substring(0, dot)) instanceof JsonObject section) {
        section.remove(key.substring(dot + 1));
      }
    }
    return copy;
  }

  /** {@code config} with this JVM's secrets wherever it has none of its own. */
  static JsonObject fill(JsonObject config) {
    JsonObject secrets = local;
    if (secrets.isEmpty()) {
      return config;
    }
    JsonObject filled = config == null ? new JsonObject() : config.copy();
    secrets.forEach(e -> {
      Object own = get(filled, e.getKey());
      if (own == null || own.toString().isBlank()) {
        filled.put(e.getKey(), e.getValue());
      }
    });
    return filled;
  }

  private static Object get(JsonObject config, String key) {
    if (config == null) {
      return null;
    }
    Object flat = config.getValue(key);
    if (flat != null) {
      return flat;
    }
    int dot = key.indexOf('.');
    return config.getValue(key.substring(0, dot)) instanceof JsonObject section ? section.getValue(key.substring(dot + 1)) : null;
  }
}
