package dev.taskhub.launcher;

import dev.taskhub.config.Defaults;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the node's configuration as flat dotted keys, each layer overriding the one before: the defaults
 * ({@code default.yaml}, shipped in the jar), {@code conf/override.yaml}, an optional {@code --config} file, the
 * environment ({@code TASKHUB_AGENT_EXECUTOR_TIMEOUT_SECONDS}), then {@code --set key=value}. The config is
 * needed before Vert.x exists (it decides clustering), so it is read here with Jackson rather than vertx-config.
 * Keys absent from the defaults are refused: a typo must not be silently ignored. A section whose default is an empty
 * map ({@code types: {}}) takes keys of its own ({@code types.<type>.<setting>}), which the node checks when it reads
 * them ({@code NodeSettings}), refusing to start on a bad one; the environment overrides only such keys a file gave,
 * since a type's name does not survive upper snake case.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  public static JsonObject load(Path overrideFile, Path extraFile, Map<String, String> env, List<String> sets) {
    Map<String, String> config = Defaults.flat();
    if (overrideFile != null && Files.isRegularFile(overrideFile)) {
      apply(config, Defaults.read(overrideFile), overrideFile.toString());
    }
    if (extraFile != null) {
      if (!Files.isRegularFile(extraFile)) {
        throw new IllegalArgumentException("configuration file " + extraFile + " does not exist");
      }
      apply(config, Defaults.read(extraFile), extraFile.toString());
    }
    applyEnvironment(config, env);
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set takes key=value, not '" + set + "'");
      }
      apply(config, Map.of(set.substring(0, eq).trim(), set.substring(eq + 1).trim()), "--set");
    }
    return json(config);
  }

  /**
   * The layers of the classic launcher: defaults, the override file, a verticle's {@code -conf} JSON (flat or
   * nested; keys Taskhub does not know are left to the verticle), then the environment. Answers Taskhub's keys, flat.
   */
  public static JsonObject layered(Path overrideFile, JsonObject conf, Map<String, String> env) {
    Map<String, String> config = Defaults.flat();
    if (overrideFile != null && Files.isRegularFile(overrideFile)) {
      apply(config, Defaults.read(overrideFile), overrideFile.toString());
    }
    Defaults.flatten(conf.getMap()).forEach((key, value) -> {
      if (config.containsKey(key) || Defaults.inOpenMap(key)) {
        config.put(key, value);
      }
    });
    applyEnvironment(config, env);
    return json(config);
  }

  private static void applyEnvironment(Map<String, String> config, Map<String, String> env) {
    for (String key : config.keySet()) {
      String value = env.get(envName(key));
      if (value != null) {
        config.put(key, value);
      }
    }
  }

  private static JsonObject json(Map<String, String> config) {
    JsonObject json = new JsonObject();
    config.forEach(json::put);
    return json;
  }

  /** {@code agent.executorTimeoutSeconds} → {@code TASKHUB_AGENT_EXECUTOR_TIMEOUT_SECONDS}. */
  public static String envName(String key) {
    return "TASKHUB_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
  }

  private static void apply(Map<String, String> config, Map<String, String> layer, String source) {
    layer.forEach((key, value) -> {
      if (!config.containsKey(key) && !Defaults.inOpenMap(key)) {
        throw new IllegalArgumentException("unknown configuration key '" + key + "' in " + source
            + ": see conf/default.yaml for the keys");
      }
      config.put(key, value);
    });
  }
}
