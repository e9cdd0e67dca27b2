package dev.taskhub.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.taskhub.web.ApiTokens.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document ({@value #DOCUMENT}, served at {@code /api/openapi.yaml}) as the HTTP verticle uses it: the
 * routes, the role each operation needs, and the validation of parameters, content types and JSON syntax.
 *
 * <p>Request BODIES are described by the document but checked by the code every interface shares ({@code TaskSpec}
 * for a registration, {@code TaskState.Change} for a change), so that one place states each rule and names the field
 * it refuses; ContractTest holds the document's schemas to that code. The validator therefore gets the document with
 * its request-body schemas emptied: a body must still be declared JSON and parse, nothing more.
 */
final class Contract {
  static final String DOCUMENT = "openapi/taskhub.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private Contract() {
  }

  /** The document as it is served: its text, and its content as JSON. */
  record Document(Buffer text, JsonObject json) {
  }

  /** Reads the document; blocking (a class-path resource). */
  static Document read(Vertx vertx) throws IOException {
    Buffer text = vertx.fileSystem().readFileBlocking(DOCUMENT);
    return new Document(text, new JsonObject(YAML.readValue(text.getBytes(), MAP)));
  }

  /** The contract the routes and the validator work from: the document, with its request-body schemas emptied. */
  static Future<OpenAPIContract> load(Vertx vertx, Document document) {
    JsonObject copy = document.json().copy();
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.getValue("requestBody") instanceof JsonObject body) {
        body.getJsonObject("content").forEach(media -> ((JsonObject) media.getValue()).put("schema", new JsonObject()));
      }
    }));
    return OpenAPIContract.from(vertx, copy);
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
