package dev.taskhub.hub;

import dev.taskhub.api.TypeSettings;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * This hub's copy of the per-type settings, for what must not cost a query: whether a claim goes through the limits'
 * lock ({@link dev.taskhub.store.ClaimWithinLimits}) or the one-statement claim, and whether an announcement must ask
 * the database first ({@link AnnounceLimitedTypes}). Correctness never rests on it: the claim statements read the
 * settings themselves, and a type this copy wrongly thinks unlimited is refused by the one-statement claim until it is
 * read again. {@link TypeRequests} keeps it fresh.
 */
final class TypeLimits {
  private volatile Map<String, TypeSettings> settings = Map.of();

  /** Every type's settings, as read whole. */
  void replace(Map<String, TypeSettings> all) {
    settings = Map.copyOf(all);
  }

  /** One type's settings, as read again after a change. */
  synchronized void put(String type, TypeSettings typeSettings) {
    Map<String, TypeSettings> next = new HashMap<>(settings);
    next.put(type, typeSettings);
    settings = Map.copyOf(next);
  }

  boolean limited(String type) {
    TypeSettings s = settings.get(type);
    return s != null && s.limited();
  }

  /** Whether a claim for these types must count RUNNING tasks under the types' lock. */
  boolean anyLimited(Collection<String> types) {
    if (settings.isEmpty()) {
      return false;
    }
    for (String type : types) {
      if (limited(type)) {
        return true;
      }
    }
    return false;
  }

  /** {@code {type: {"maxRunning", "maxRunningPerNode"}}} of the limited types, for the stats and the monitor. */
  JsonObject limitsJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(settings).forEach((type, s) -> {
      if (s.limited()) {
        json.put(type, new JsonObject().put("maxRunning", s.maxRunning()).put("maxRunningPerNode", s.maxRunningPerNode()));
      }
    });
    return json;
  }
}
