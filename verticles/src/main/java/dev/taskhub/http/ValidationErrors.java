package dev.taskhub.http;

import dev.taskhub.api.MalformedJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a refusal of the OpenAPI request validator into one sentence a user can act on. The validator checks only
 * parameters, the content type and JSON syntax (see {@link Contract}), so that is all there is to describe: which
 * parameter, what is wrong with it and what it must be instead (e.g. {@code the query parameter 'limit' must be at
 * most 1000, not '5000'}), with the limits quoted from the contract itself. The parameter is found by its name in
 * the validator's message; ParameterRefusalsTest pins that, so a library upgrade that changes it fails a test.
 */
final class ValidationErrors {
  /** Keywords that only say "something below me failed"; the useful error is the one they wrap. */
  private static final Set<String> WRAPPERS = Set.of("$ref", "properties", "items", "prefixItems", "if", "then", "else",
      "allOf", "anyOf", "oneOf", "not", "patternProperties", "$dynamicRef", "$recursiveRef");
  private static final Pattern PARAMETER = Pattern.compile("(path|query|header|cookie) parameter ([^ .]+)");

  private final JsonObject contract;

  ValidationErrors(JsonObject rawContract) {
    this.contract = rawContract;
  }

  /** An HTTP status and the message for {@code {"error": …}}. */
  record Refusal(int status, String message) {
  }

  Refusal describe(ValidatorException e, RoutingContext ctx, Operation operation) {
    Matcher param = PARAMETER.matcher(String.valueOf(e.getMessage()));
    Parameter parameter = param.find() ? parameter(operation, param.group(1), param.group(2)) : null;
    if (parameter != null) {
      String subject = "the " + parameter.getIn().name().toLowerCase() + " parameter '" + parameter.getName() + "'";
      if (e instanceof SchemaValidationException s && s.getOutputUnit() != null && s.getOutputUnit().getErrors() != null) {
        return new Refusal(400, describe(s.getOutputUnit(), parameter, subject, ctx));
      }
      return new Refusal(400, e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
          ? subject + " is required" : "the value of " + subject + " cannot be decoded");
    }
    return switch (e.type()) {
      case UNSUPPORTED_VALUE_FORMAT -> new Refusal(415, "send the request body as JSON, with the header 'Content-Type: application/json'");
      case MISSING_REQUIRED_PARAMETER -> new Refusal(400, "the request body is empty: send a JSON object");
      case ILLEGAL_VALUE -> new Refusal(400, malformedJson(ctx));
      default -> new Refusal(400, String.valueOf(e.getMessage()));
    };
  }

  private static Parameter parameter(Operation operation, String in, String name) {
    return operation.getParameters().stream()
        .filter(p -> p.getName().equals(name) && p.getIn().name().equalsIgnoreCase(in))
        .findFirst().orElse(null);
  }

  private static String malformedJson(RoutingContext ctx) {
    if (ctx.body().buffer() == null) {
      return "the request body is empty: send a JSON object";
    }
    try {
      Json.decodeValue(ctx.body().buffer());
      return "malformed JSON in the request body";
    } catch (DecodeException e) {
      return "malformed JSON: " + MalformedJson.reason(e);
    }
  }

  // ------------------------------------------------------------------ one sentence per keyword

  private String describe(OutputUnit unit, Parameter parameter, String subject, RoutingContext ctx) {
    OutputUnit leaf = leaf(unit);
    String name = parameter.getName();
    String value = parameter.getIn() == Location.PATH ? ctx.pathParam(name) : ctx.queryParams().get(name);
    JsonObject schema = keywordSchema(leaf, parameter.getOpenAPIModel().getJsonObject("schema", new JsonObject()));
    String keyword = keyword(leaf);
    Object limit = schema == null ? null : schema.getValue(keyword);
    String not = value == null ? "" : ", not " + show(value);
    return switch (keyword) {
      case "type" -> subject + " must be " + kind(limit) + not;
      case "enum" -> subject + " must be one of " + (limit instanceof JsonArray a
          ? a.stream().map(String::valueOf).collect(Collectors.joining(", ")) : "the documented values") + not;
      case "pattern" -> "invalid " + name + (value == null ? "" : " " + show(value)) + (limit == null ? "" : ": it must match " + limit);
      case "minLength" -> Integer.valueOf(1).equals(limit) || limit == null ? subject + " must not be empty"
          : subject + " must be at least " + limit + " characters long";
      case "maxLength" -> subject + " is longer than " + (limit == null ? "allowed" : limit + " characters");
      case "minimum" -> subject + " must be at least " + limitOr(limit, leaf) + not;
      case "maximum" -> subject + " must be at most " + limitOr(limit, leaf) + not;
      case "format" -> subject + " must be " + format(limit == null ? "" : limit.toString()) + not;
      default -> subject + ": " + leaf.getError();
    };
  }

  private static String limitOr(Object limit, OutputUnit leaf) {
    if (limit != null) {
      return show(limit);
    }
    String error = leaf.getError();
    return error.substring(error.lastIndexOf(' ') + 1);
  }

  private static String kind(Object type) {
    return switch (String.valueOf(type)) {
      case "string" -> "a string";
      case "integer" -> "an integer";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      default -> "of another type";
    };
  }

  private static String format(String format) {
    return switch (format) {
      case "int64" -> "an integer of at most 19 digits";
      case "int32" -> "an integer of at most 10 digits";
      default -> "a valid " + format;
    };
  }

  private static String show(Object value) {
    if (value instanceof String s) {
      return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e18) {
      return Long.toString(n.longValue());
    }
    String json = Json.encode(value);
    return json.length() > 80 ? json.substring(0, 80) + "…" : json;
  }

  // ------------------------------------------------------------------ finding the error that matters

  /** The first error that names a failed keyword rather than a wrapper; a {@code format} error beside a {@code type} error is skipped. */
  private static OutputUnit leaf(OutputUnit unit) {
    List<OutputUnit> leaves = unit.getErrors().stream().filter(e -> !WRAPPERS.contains(keyword(e))).toList();
    for (OutputUnit e : leaves) {
      String where = e.getInstanceLocation();
      boolean beside = keyword(e).equals("format")
          && leaves.stream().anyMatch(o -> o.getInstanceLocation().equals(where) && keyword(o).equals("type"));
      if (!beside) {
        return e;
      }
    }
    return leaves.isEmpty() ? unit.getErrors().get(unit.getErrors().size() - 1) : leaves.get(0);
  }

  private static String keyword(OutputUnit e) {
    String location = e.getKeywordLocation() == null ? "" : e.getKeywordLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * The schema object that holds the failed keyword: found through the absolute location when it points into the
   * contract's components, else by walking the keyword location from the parameter's schema.
   */
  private JsonObject keywordSchema(OutputUnit leaf, JsonObject root) {
    String absolute = leaf.getAbsoluteKeywordLocation();
    List<String> path;
    Object node;
    if (absolute != null && absolute.contains("#/components/")) {
      path = pointer(absolute.substring(absolute.indexOf('#')));
      node = contract;
    } else {
      path = pointer(leaf.getKeywordLocation());
      node = root;
    }
    if (path.isEmpty()) {
      return null;
    }
    for (String segment : path.subList(0, path.size() - 1)) {
      if (node instanceof JsonObject json && segment.equals("$ref") && json.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
        node = at(contract, pointer(ref));
      } else {
        node = at(node, List.of(segment));
      }
    }
    return node instanceof JsonObject json ? json : null;
  }

  private static Object at(Object node, List<String> path) {
    for (String segment : path) {
      if (node instanceof JsonObject json) {
        node = json.getValue(segment);
      } else if (node instanceof JsonArray array && segment.matches("\\d+") && Integer.parseInt(segment) < array.size()) {
        node = array.getValue(Integer.parseInt(segment));
      } else {
        return null;
      }
    }
    return node;
  }

  /** {@code "#/components/schemas/State/enum"} → [components, schemas, State, enum] (JSON pointer escapes undone). */
  private static List<String> pointer(String location) {
    List<String> segments = new ArrayList<>();
    if (location == null) {
      return segments;
    }
    String text = location.startsWith("#") ? location.substring(1) : location;
    for (String s : text.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s.replace("~1", "/").replace("~0", "~"));
      }
    }
    return segments;
  }
}
