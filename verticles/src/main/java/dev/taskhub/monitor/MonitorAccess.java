package dev.taskhub.monitor;

import dev.taskhub.api.Settings;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may watch the monitor and who may act on tasks from it, by the API token in {@code Authorization: Bearer …}.
 * Tokens are {@code api.tokens} ({@code token:role} pairs). Without tokens the node listens on loopback only, and
 * whoever reaches it may watch and act, as with the rest of the API.
 */
final class MonitorAccess {
  /** Roles that may change a task (cancel, suspend, resume, retry, priority); {@code read} may only watch. */
  static final Set<String> ACTING_ROLES = Set.of("admin", "submit");

  private final Map<String, String> roleByToken = new LinkedHashMap<>();

  private MonitorAccess(String tokens) {
    for (String pair : tokens.split(",")) {
      int colon = pair.lastIndexOf(':');
      if (colon > 0) {
        roleByToken.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
      }
    }
  }

  static MonitorAccess of(Settings settings) {
    return new MonitorAccess(settings.string("api.tokens", ""));
  }

  boolean tokensRequired() {
    return !roleByToken.isEmpty();
  }

  /** The role of the request's token; {@code admin} when the node has no tokens; null for a missing or unknown token. */
  String role(HttpServerRequest request) {
    if (!tokensRequired()) {
      return "admin";
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    String role = null;
    for (Map.Entry<String, String> e : roleByToken.entrySet()) {
      if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) { // no early exit: no timing hint
        role = e.getValue();
      }
    }
    return role;
  }

  boolean mayWatch(HttpServerRequest request) {
    return role(request) != null;
  }

  /** {@code {"tokens": bool, "role": r|null, "mayWatch": bool, "mayAct": bool}} for the page to show what it may. */
  JsonObject describe(HttpServerRequest request) {
    String role = role(request);
    return new JsonObject().put("tokens", tokensRequired()).put("role", role)
        .put("mayWatch", role != null).put("mayAct", role != null && ACTING_ROLES.contains(role));
  }
}
