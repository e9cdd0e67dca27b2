package dev.taskhub.http;

import dev.taskhub.web.ApiTokens.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;

import java.util.List;

/**
 * The OpenAPI document ({@value #DOCUMENT}, served at {@code /api/openapi.yaml}) as the HTTP verticle uses it: the
 * routes, the role each operation needs, and the validation of every request.
 */
final class Contract {
  static final String DOCUMENT = "openapi/taskhub.yaml";

  private Contract() {
  }

  /** The contract the routes and the validator work from. */
  static Future<OpenAPIContract> load(Vertx vertx) {
    return OpenAPIContract.from(vertx, DOCUMENT);
  }

  /**
   * The role an operation needs: the scope of its security requirement ({@code security: [{bearer: [submit]}]});
   * null for an operation marked {@code security: []} (open); {@code admin} for one that says nothing (deny by
   * default).
   */
  static Role roleFor(Operation operation) {
    if (!operation.getOpenAPIModel().containsKey("security")) {
      return Role.admin;
    }
    List<SecurityRequirement> requirements = operation.getSecurityRequirements();
    if (requirements.isEmpty() || requirements.stream().anyMatch(SecurityRequirement::isEmpty)) {
      return null;
    }
    SecurityRequirement first = requirements.get(0);
    List<String> scopes = first.getScopes(first.getNames().iterator().next());
    return scopes.isEmpty() ? Role.admin : Role.parse(scopes.get(0), "operation " + operation.getOperationId());
  }
}
