package dev.taskhub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The keys Taskhub knows and their defaults: {@code conf/default.yaml}, shipped on the class path. It is the only
 * place a default is written; the launcher layers the user's files over it and {@link NodeSettings} falls back to it.
 */
public final class Defaults {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> MAPS = new HashSet<>();
  private static final Map<String, String> FLAT = load();

  private Defaults() {
  }

  /** Every key, flat and dotted ({@code agent.executorTimeoutSeconds}), with its default as text ("" when unset). */
  public static Map<String, String> flat() {
    return new LinkedHashMap<>(FLAT);
  }

  /**
   * Whether {@code key} lies in a section that is an open map: one whose default is {@code {}} ({@code types:}, keyed
   * by task type). Its keys cannot all be listed here; the setting that reads the section checks them
   * ({@code types.<type>.<setting>}: {@link dev.taskhub.api.TypeSettings#fromConfig}).
   */
  public static boolean inOpenMap(String key) {
    int dot = key.indexOf('.');
    return dot > 0 && dot < key.length() - 1 && MAPS.contains(key.substring(0, dot));
  }

  /** A YAML file's keys, flat and dotted, its values as text ("" for null). */
  public static Map<String, String> read(Path file) {
    try {
      return flatten(YAML.readTree(file.toFile()));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Any JSON-like value tree (a {@code -conf} file's map), flattened the same way. */
  public static Map<String, String> flatten(Object tree) {
    return flatten(YAML.valueToTree(tree));
  }

  private static Map<String, String> load() {
    try (InputStream in = Defaults.class.getClassLoader().getResourceAsStream("default.yaml")) {
      if (in == null) {
        throw new IllegalStateException("default.yaml is missing from the class path");
      }
      JsonNode root = YAML.readTree(in);
      root.fields().forEachRemaining(section -> {
        if (section.getValue().isObject() && section.getValue().isEmpty()) {
          MAPS.add(section.getKey()); // written {} in the defaults: an open map
        }
      });
      return flatten(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read default.yaml: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> flatten(JsonNode root) {
    Map<String, String> flat = new LinkedHashMap<>();
    if (root != null && !root.isNull()) {
      flatten("", root, flat);
    }
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), flat);
      }
    } else {
      flat.put(prefix, node.isNull() ? "" : node.asText());
    }
  }
}
