package dev.taskhub.monitor;

import dev.taskhub.http.ApiTokens;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Who may watch the monitor and who may act on tasks from it: the same API tokens and roles as the REST API.
 * Any valid token may watch; acting goes through {@code PATCH /api/tasks/{id}}, which needs {@code admin}.
 * Without tokens the node listens on loopback only, and whoever reaches it may watch and act, as with the API.
 */
final class MonitorAccess {
  private final ApiTokens tokens;

  MonitorAccess(ApiTokens tokens) {
    this.tokens = tokens;
  }

  /** The request's role; {@code admin} when the node has no tokens; null for a missing or unknown token. */
  ApiTokens.Role role(HttpServerRequest request) {
    return tokens.isEmpty() ? ApiTokens.Role.admin : tokens.roleFor(request);
  }

  boolean mayWatch(HttpServerRequest request) {
    return role(request) != null;
  }

  /** {@code {"tokens": bool, "role": r|null, "mayWatch": bool, "mayAct": bool}} for the page to show what it may. */
  JsonObject describe(HttpServerRequest request) {
    ApiTokens.Role role = role(request);
    return new JsonObject().put("tokens", !tokens.isEmpty()).put("role", role == null ? null : role.name())
        .put("mayWatch", role != null).put("mayAct", role != null && role.includes(ApiTokens.Role.admin));
  }
}
