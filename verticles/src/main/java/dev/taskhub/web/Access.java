package dev.taskhub.web;

import dev.taskhub.web.ApiTokens.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is asking: the role of a request's API token, the one notion of access that the REST API and the monitor
 * share. A node without tokens listens on loopback only (the HTTP verticle refuses anything else), so there every
 * request counts as {@code admin}; a node with tokens knows a request only by the token it presents.
 */
public final class Access {
  private final ApiTokens tokens;

  public Access(ApiTokens tokens) {
    this.tokens = tokens;
  }

  public boolean hasTokens() {
    return !tokens.isEmpty();
  }

  /** The request's role; {@code admin} when the node has no tokens; null for a missing or unknown token. */
  public Role roleOf(HttpServerRequest request) {
    return tokens.isEmpty() ? Role.admin : tokens.roleOf(bearer(request));
  }

  /**
   * A route handler that lets a request through when its role covers {@code needed} (null: anyone, token or not),
   * and otherwise answers 401 (no valid token) or 403 (a role too small).
   */
  public Handler<RoutingContext> require(Role needed) {
    return ctx -> {
      if (needed == null) {
        ctx.next();
        return;
      }
      Role role = roleOf(ctx.request());
      if (role == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"taskhub\"");
        ErrorResponse.send(ctx, 401, bearer(ctx.request()) == null
            ? "this needs an API token: send the header 'Authorization: Bearer <token>'"
            : "the API token is not valid here");
      } else if (!role.includes(needed)) {
        ErrorResponse.send(ctx, 403, "a token with the role '" + role + "' may not do this: it needs '" + needed + "'");
      } else {
        ctx.next();
      }
    };
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  private static String bearer(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }
}
