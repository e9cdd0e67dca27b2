package dev.taskhub.http;

import dev.taskhub.api.MalformedJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a refusal of the OpenAPI request validator into one sentence a user can act on: which parameter or field,
 * what is wrong with it, and what it must be instead (e.g. {@code 'maxAttempts' must be at least 1, not -1}). The
 * limits quoted come from the contract itself, so the message and the document say the same thing.
 */
final class ValidationErrors {
  /** Keywords that only say "something below me failed"; the useful error is the one they wrap. */
  private static final Set<String> WRAPPERS = Set.of("$ref", "properties", "items", "prefixItems", "if", "then", "else",
      "allOf", "anyOf", "oneOf", "not", "patternProperties", "$dynamicRef", "$recursiveRef");
  private static final Pattern PARAMETER = Pattern.compile("(path|query|header|cookie) parameter ([^ .]+)");
  private static final Pattern EXPECTED = Pattern.compile("Expected ([\\w, ]+)");
  private static final Pattern REQUIRED = Pattern.compile("property \"([^\"]+)\"");

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
    if (e instanceof SchemaValidationException s && s.getOutputUnit() != null && s.getOutputUnit().getErrors() != null) {
      return new Refusal(400, parameter != null ? describeParameter(s.getOutputUnit(), parameter, ctx) : describeBody(s.getOutputUnit(), ctx, operation));
    }
    ValidatorErrorType type = e.type();
    if (parameter != null) {
      return new Refusal(400, type == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
          ? "the " + parameter.getIn().name().toLowerCase() + " parameter '" + parameter.getName() + "' is required"
          : "the value of the " + parameter.getIn().name().toLowerCase() + " parameter '" + parameter.getName() + "' cannot be decoded");
    }
    return switch (type) {
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

  // ------------------------------------------------------------------ parameters

  private String describeParameter(OutputUnit unit, Parameter parameter, RoutingContext ctx) {
    OutputUnit leaf = leaf(unit);
    String raw = parameter.getIn() == Location.PATH ? ctx.pathParam(parameter.getName()) : ctx.queryParams().get(parameter.getName());
    JsonObject schema = parameter.getOpenAPIModel().getJsonObject("schema", new JsonObject());
    String subject = "the " + parameter.getIn().name().toLowerCase() + " parameter '" + parameter.getName() + "'";
    return sentence(leaf, subject, parameter.getName(), raw, keywordSchema(leaf, schema));
  }

  // ------------------------------------------------------------------ the body

  private String describeBody(OutputUnit unit, RoutingContext ctx, Operation operation) {
    OutputUnit leaf = leaf(unit);
    Object body = decodedBody(ctx);
    List<String> path = pointer(leaf.getInstanceLocation());
    String prefix = "";
    if (path.size() >= 2 && path.get(0).equals("tasks") && path.get(1).matches("\\d+")) {
      prefix = "tasks[" + path.get(1) + "]: "; // a task of a batch, named as TaskSpec names it
      path = path.subList(2, path.size());
    }
    Object value = at(body, pointer(leaf.getInstanceLocation()));
    JsonObject root = bodySchema(operation, ctx);
    JsonObject schema = keywordSchema(leaf, root);
    if (keyword(leaf).equals("required")) {
      Matcher missing = REQUIRED.matcher(leaf.getError());
      String field = missing.find() ? missing.group(1) : "?";
      return prefix + "'" + join(path, field) + "' is required";
    }
    if (keyword(leaf).equals("additionalProperties")) {
      String field = path.isEmpty() ? "?" : path.get(path.size() - 1);
      Set<String> known = propertyNames(schema);
      return prefix + "unknown field '" + field + "'" + (known.isEmpty() ? "" : ": use " + String.join(", ", known));
    }
    if (path.isEmpty() && keyword(leaf).equals("type")) {
      return prefix.isEmpty() ? "the request body must be a JSON object" : prefix + "a task must be a JSON object";
    }
    String name = path.isEmpty() ? null : join(path, null);
    String subject = name == null ? "the request body" : "'" + name + "'";
    return prefix + sentence(leaf, subject, name, value, schema);
  }

  private static Object decodedBody(RoutingContext ctx) {
    try {
      return Json.decodeValue(ctx.body().buffer());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonObject bodySchema(Operation operation, RoutingContext ctx) {
    if (operation.getRequestBody() == null) {
      return new JsonObject();
    }
    MediaType media = operation.getRequestBody().determineContentType(ctx.request().getHeader("content-type"));
    return media == null ? new JsonObject() : media.getOpenAPIModel().getJsonObject("schema", new JsonObject());
  }

  // ------------------------------------------------------------------ one sentence per keyword

  /**
   * @param subject how to name the value in a sentence ("'maxAttempts'", "the query parameter 'limit'")
   * @param name    the bare name, for "invalid type '../x'"
   * @param value   what was sent, or null when unknown
   * @param schema  the schema object holding the failed keyword, or null when it cannot be found
   */
  private static String sentence(OutputUnit leaf, String subject, String name, Object value, JsonObject schema) {
    String keyword = keyword(leaf);
    Object limit = schema == null ? null : schema.getValue(keyword);
    String not = value == null ? "" : ", not " + show(value);
    switch (keyword) {
      case "type": {
        Matcher expected = EXPECTED.matcher(leaf.getError());
        return subject + " must be " + (expected.find() ? kind(expected.group(1)) : "of another type") + not;
      }
      case "enum":
        return subject + " must be one of " + (limit instanceof JsonArray a ? a.stream().map(String::valueOf).collect(Collectors.joining(", ")) : "the documented values") + not;
      case "const":
        return subject + " must be " + show(limit) + not;
      case "pattern":
        return "invalid " + (name == null ? "value" : name) + (value == null ? "" : " " + show(value))
            + (limit == null ? "" : ": it must match " + limit);
      case "minLength":
        return Integer.valueOf(1).equals(limit) || limit == null ? subject + " must not be empty" : subject + " must be at least " + limit + " characters long";
      case "maxLength":
        return subject + " is longer than " + (limit == null ? "allowed" : limit + " characters");
      case "minimum":
        return subject + " must be at least " + limitOr(limit, leaf) + not;
      case "maximum":
        return subject + " must be at most " + limitOr(limit, leaf) + not;
      case "exclusiveMinimum":
        return subject + " must be more than " + limitOr(limit, leaf) + not;
      case "exclusiveMaximum":
        return subject + " must be less than " + limitOr(limit, leaf) + not;
      case "format":
        return subject + " must be " + format(limit == null ? "" : limit.toString()) + not;
      case "minItems":
        return subject + " must hold at least " + limit + " items";
      case "maxItems":
        return subject + " may hold at most " + limit + " items";
      case "minProperties":
        return subject + " must hold at least " + limit + " field" + (Integer.valueOf(1).equals(limit) ? "" : "s") + fields(schema);
      case "maxProperties":
        return subject + " may hold at most " + limit + " field" + (Integer.valueOf(1).equals(limit) ? "" : "s") + fields(schema);
      case "uniqueItems":
        return subject + " must not repeat an item";
      default:
        return subject + ": " + leaf.getError();
    }
  }

  private static String fields(JsonObject schema) {
    Set<String> names = propertyNames(schema);
    return names.isEmpty() ? "" : ": one of " + String.join(", ", names);
  }

  private static String limitOr(Object limit, OutputUnit leaf) {
    if (limit != null) {
      return show(limit);
    }
    String error = leaf.getError();
    return error.substring(error.lastIndexOf(' ') + 1);
  }

  private static String kind(String expected) {
    return Arrays.stream(expected.split(",\\s*")).map(t -> switch (t.trim()) {
      case "string" -> "a string";
      case "integer" -> "an integer";
      case "number" -> "a number";
      case "object" -> "a JSON object";
      case "array" -> "an array";
      case "boolean" -> "true or false";
      case "null" -> "null";
      default -> t;
    }).collect(Collectors.joining(" or "));
  }

  private static String format(String format) {
    return switch (format) {
      case "date-time" -> "an ISO-8601 date-time such as 2026-01-31T12:00:00Z";
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

  /**
   * The first error that names a failed keyword rather than a wrapper. A declared property that failed is also
   * reported by {@code additionalProperties: false} (it was not "evaluated"); that echo, and a {@code format}
   * error beside a {@code type} error for the same value, are skipped.
   */
  private static OutputUnit leaf(OutputUnit unit) {
    List<OutputUnit> leaves = new ArrayList<>();
    for (OutputUnit e : unit.getErrors()) {
      if (!WRAPPERS.contains(keyword(e))) {
        leaves.add(e);
      }
    }
    for (OutputUnit e : leaves) {
      String where = e.getInstanceLocation();
      boolean echo = keyword(e).equals("additionalProperties")
          && leaves.stream().anyMatch(o -> o != e && o.getInstanceLocation().equals(where) && !keyword(o).equals("additionalProperties"));
      boolean beside = keyword(e).equals("format")
          && leaves.stream().anyMatch(o -> o.getInstanceLocation().equals(where) && keyword(o).equals("type"));
      if (!echo && !beside) {
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
   * contract's components, else by walking the keyword location from the schema that was validated.
   */
  private JsonObject keywordSchema(OutputUnit leaf, JsonObject root) {
    String absolute = leaf.getAbsoluteKeywordLocation();
    List<String> path;
    Object start;
    if (absolute != null && absolute.contains("#/components/")) {
      path = pointer(absolute.substring(absolute.indexOf('#')));
      start = contract;
    } else {
      path = pointer(leaf.getKeywordLocation());
      start = root;
    }
    if (path.isEmpty()) {
      return null;
    }
    Object node = walk(start, path.subList(0, path.size() - 1));
    return node instanceof JsonObject json ? json : null;
  }

  private Object walk(Object node, List<String> path) {
    for (String segment : path) {
      if (node instanceof JsonObject json && segment.equals("$ref") && json.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
        node = at(contract, pointer(ref));
      } else {
        node = at(node, List.of(segment));
      }
    }
    return node;
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

  /** {@code "#/tasks/1/type"} → [tasks, 1, type] (JSON pointer escapes undone). */
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

  /** [dependsOn, 0] → "dependsOn[0]"; with {@code last}, one more name on the end. */
  private static String join(List<String> path, String last) {
    StringBuilder name = new StringBuilder();
    List<String> all = new ArrayList<>(path);
    if (last != null) {
      all.add(last);
    }
    for (String s : all) {
      if (s.matches("\\d+")) {
        name.append('[').append(s).append(']');
      } else {
        name.append(name.length() == 0 ? "" : ".").append(s);
      }
    }
    return name.toString();
  }

  private static Set<String> propertyNames(JsonObject schema) {
    return schema != null && schema.getValue("properties") instanceof JsonObject p ? new TreeSet<>(p.fieldNames()) : Set.of();
  }
}
