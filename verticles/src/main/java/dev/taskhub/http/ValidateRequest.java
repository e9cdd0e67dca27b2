package dev.taskhub.http;

import dev.taskhub.web.ErrorResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Location;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.vertx.openapi.validation.ValidatorErrorType.MISSING_REQUIRED_PARAMETER;
import static io.vertx.openapi.validation.ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT;

/**
 * The second handler of every operation, after the access check: refuses query parameters the operation does not
 * declare (the validator would ignore them: a misspelt filter must not silently list everything) and repeated ones,
 * then validates the request against the contract — its parameters, its content type, and that a body is JSON
 * ({@link Contract} says why bodies are checked elsewhere). A refusal is described by {@link ValidationErrors}.
 */
final class ValidateRequest implements Handler<RoutingContext> {
  private static final RequestExtractor EXTRACTOR = RequestExtractor.withBodyHandler();
  /**
   * Bodies up to this size are validated on the event loop: a hop to a worker thread and back is two thread wake-ups,
   * a millisecond or more of a registration's latency, and a small body parses in microseconds; only a large batch is
   * worth moving off the event loop.
   */
  static final int HERE_MAX_BODY_BYTES = 16 * 1024;

  /** What the library's RequestValidatorImpl holds per style, the same transformers. */
  private static final Map<Style, ParameterTransformer> TRANSFORMERS = new EnumMap<>(Map.of(Style.SIMPLE,
      new SimpleTransformer(), Style.LABEL, new LabelTransformer(), Style.MATRIX, new MatrixTransformer(),
      Style.FORM, new FormTransformer()));

  private final Operation operation;
  private final ValidationErrors errors;
  private final Set<String> declared;
  /** Each parameter's schema validator by where it is and its name, built once here (see {@link #parameter}). */
  private final Map<String, Validator> schemas = new HashMap<>();

  ValidateRequest(Operation operation, OpenAPIContract contract, ValidationErrors errors) {
    this.operation = operation;
    this.errors = errors;
    this.declared = operation.getParameters().stream().filter(p -> p.getIn() == Location.QUERY)
        .map(Parameter::getName).collect(Collectors.toCollection(TreeSet::new));
    operation.getParameters().forEach(p -> schemas.put(key(p), contract.getSchemaRepository().validator(p.getSchema())));
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap query;
    try {
      query = ctx.queryParams();
    } catch (IllegalArgumentException e) {
      ErrorResponse.send(ctx, 400, "malformed query string: " + e.getMessage());
      return;
    }
    for (String name : query.names()) {
      if (!declared.contains(name)) {
        ErrorResponse.send(ctx, 400, "unknown query parameter '" + name + "'"
            + (declared.isEmpty() ? ": this endpoint takes none" : ": use " + String.join(", ", declared)));
        return;
      }
      if (query.getAll(name).size() > 1) {
        ErrorResponse.send(ctx, 400, "the query parameter '" + name + "' is given more than once");
        return;
      }
    }
    Future<ValidatedRequest> validated;
    try {
      boolean small = ctx.body().length() <= HERE_MAX_BODY_BYTES;
      validated = EXTRACTOR.extractValidatableRequest(ctx, operation)
          .compose(request -> small ? Future.succeededFuture(validate(request))
              : ctx.vertx().executeBlocking(() -> validate(request)));
    } catch (RuntimeException e) {
      validated = Future.failedFuture(e);
    }
    validated.onSuccess(request -> {
      ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, request);
      ctx.next();
    }).onFailure(e -> {
      if (e instanceof ValidatorException refused) {
        ValidationErrors.Refusal refusal = errors.describe(refused, ctx, operation);
        ErrorResponse.send(ctx, refusal.status(), refusal.message());
      } else {
        ctx.fail(e); // not the request's fault: logged, and answered 500
      }
    });
  }

  /**
   * What the library's {@code RequestValidatorImpl.validate} does, with a validator built once per parameter and no
   * schema step for the body (see {@link #parameter} and {@link #body}): the library's own builds a copy of every schema
   * of the contract for each body and each parameter of each request.
   */
  private ValidatedRequest validate(ValidatableRequest request) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter param : operation.getParameters()) {
      String name = param.getName();
      switch (param.getIn()) {
        case COOKIE -> cookies.put(name, parameter(param, request.getCookies().get(name)));
        case HEADER -> headers.put(name, parameter(param, request.getHeaders().get(name)));
        case PATH -> path.put(name, parameter(param, request.getPathParameters().get(name)));
        case QUERY -> query.put(name, parameter(param, request.getQuery().get(name)));
      }
    }
    return new ValidatedRequestImpl(cookies, headers, path, query, body(request));
  }

  /**
   * What the library's {@code RequestValidatorImpl.validateParameter} does, with a validator built once per
   * parameter: the library builds one at every call, copying every schema of the contract (a listing with seven query
   * parameters built seven).
   */
  private RequestParameter parameter(Parameter param, RequestParameter value) {
    if (value == null || value.isNull()) {
      if (param.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(param);
      }
      return new RequestParameterImpl(null);
    }
    ParameterTransformer transformer = TRANSFORMERS.get(param.getStyle());
    if (transformer == null) {
      throw ValidatorException.createUnsupportedValueFormat(param);
    }
    Object transformed = transformer.transform(param, String.valueOf(value.get()));
    OutputUnit result = schemas.get(key(param)).validate(transformed);
    try {
      result.checkValidity();
      return new RequestParameterImpl(transformed);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(param, result, e);
    }
  }

  private static String key(Parameter param) {
    return param.getIn() + " " + param.getName();
  }

  /**
   * What the library's {@code RequestValidatorImpl.validateBody} gives, without its schema step: the contract's body
   * schemas are empty ({@link Contract}), so that step always passes, and the library builds it anew at every call,
   * copying every schema of the contract into a new validator (under back-to-back POSTs, 14 % of the node's CPU went
   * there). The body must still be there when required, of a declared content type, and parse.
   */
  private RequestParameter body(ValidatableRequest request) {
    RequestBody declared = operation.getRequestBody();
    if (declared == null) {
      return new RequestParameterImpl(null);
    }
    if (request.getBody() == null || request.getBody().isEmpty()) {
      if (declared.isRequired()) {
        throw new ValidatorException("The related request does not contain the required body.", MISSING_REQUIRED_PARAMETER);
      }
      return new RequestParameterImpl(null);
    }
    MediaType mediaType = declared.determineContentType(request.getContentType());
    ContentAnalyser content = mediaType == null ? null : ContentAnalyser.getContentAnalyser(mediaType,
        request.getContentType(), request.getBody().getBuffer(Buffer.buffer()), ValidationContext.REQUEST);
    if (content == null) {
      throw new ValidatorException("The format of the " + ValidationContext.REQUEST + " body is not supported",
          UNSUPPORTED_VALUE_FORMAT);
    }
    content.checkSyntacticalCorrectness();
    return new RequestParameterImpl(content.transform());
  }
}
