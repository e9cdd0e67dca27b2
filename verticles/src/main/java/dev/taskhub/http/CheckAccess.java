package dev.taskhub.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;

import java.util.List;

/**
 * The first handler of every operation, before anything is validated: the caller must present a token whose role
 * covers the role the contract names for the operation ({@code security: [{bearer: [submit]}]}); an operation
 * marked {@code security: []} is open; one that says nothing needs {@code admin} (deny by default). A node without
 * tokens (bound to a loopback address) lets everything through.
 */
final class CheckAccess implements Handler<RoutingContext> {
  private final ApiTokens tokens;
  private final ApiTokens.Role needed;

  CheckAccess(ApiTokens tokens, Operation operation) {
    this.tokens = tokens;
    this.needed = roleFor(operation);
  }

  static ApiTokens.Role roleFor(Operation operation) {
    if (!operation.getOpenAPIModel().containsKey("security")) {
      return ApiTokens.Role.admin;
    }
    List<SecurityRequirement> requirements = operation.getSecurityRequirements();
    if (requirements.isEmpty() || requirements.stream().anyMatch(SecurityRequirement::isEmpty)) {
      return null;
    }
    SecurityRequirement first = requirements.get(0);
    List<String> scopes = first.getScopes(first.getNames().iterator().next());
    return scopes.isEmpty() ? ApiTokens.Role.admin : ApiTokens.Role.parse(scopes.get(0), "operation " + operation.getOperationId());
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (needed == null || tokens.isEmpty()) {
      ctx.next();
      return;
    }
    String token = ApiTokens.bearer(ctx.request());
    ApiTokens.Role role = tokens.roleOf(token);
    if (role == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"taskhub\"");
      HttpVerticle.error(ctx, 401, token == null
          ? "this needs an API token: send the header 'Authorization: Bearer <token>'"
          : "the API token is not valid here");
    } else if (!role.includes(needed)) {
      HttpVerticle.error(ctx, 403, "a token with the role '" + role + "' may not do this: it needs '" + needed + "'");
    } else {
      ctx.next();
    }
  }
}
