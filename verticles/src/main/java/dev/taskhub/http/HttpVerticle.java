package dev.taskhub.http;

import dev.taskhub.config.NodeSettings;
import dev.taskhub.node.NodeDirectory;
import dev.taskhub.node.NodeIdentity;
import dev.taskhub.web.Access;
import dev.taskhub.web.AllowedHosts;
import dev.taskhub.web.ApiTokens;
import dev.taskhub.web.RouteContributor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The HTTP bridge: JSON over HTTP in front of the hub's event-bus addresses. It holds no state and opens no
 * database connection, so it can run on any node. The routes are built from the OpenAPI document ({@link Contract}):
 * every operation in it must have a handler ({@link Operations}) and every handler an operation, so the document and
 * the behaviour cannot drift apart. Each operation checks the token's role ({@link Access}), then the request
 * ({@link ValidateRequest}), then runs its handler. Every refusal is {@code {"error": …}} with a 4xx/5xx status
 * ({@link Failures}). Other parts of the node add their routes as {@link RouteContributor}s (the monitor's page).
 * While the node drains, the operations that add work answer 503 ({@link Draining}).
 */
public class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  private final List<RouteContributor> contributors;
  private HttpServer server;
  private NodeDirectory directory;
  private TaskEventStreams streams;
  private Draining draining;

  /** Deployed on its own (the classic {@code run dev.taskhub.http.HttpVerticle}): the contributors on the class path. */
  public HttpVerticle() {
    this(ServiceLoader.load(RouteContributor.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  /** With the routes the node hands over; each still decides from the configuration whether it applies. */
  public HttpVerticle(List<RouteContributor> contributors) {
    this.contributors = List.copyOf(contributors);
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.from(config());
    String host = settings.http().host();
    int port = settings.http().port();
    directory = NodeDirectory.start(vertx, NodeIdentity.of(vertx, settings));
    // Room for the largest task data, JSON-escaped, whatever http.maxBodyBytes says.
    long maxBody = Math.max(settings.task().maxDataBytes() * 2L + 64 * 1024, settings.http().maxBodyBytes());
    streams = new TaskEventStreams(vertx);
    draining = Draining.listen(vertx);
    return vertx.executeBlocking(() -> tokens(settings, host)) // reads a file and may resolve a host name
        .compose(tokens -> vertx.executeBlocking(() -> Contract.read(vertx))
            .compose(document -> Contract.load(vertx, document)
                .map(contract -> router(contract, document, new Access(tokens), settings, maxBody)))
            .compose(router -> vertx.createHttpServer(serverOptions(settings.http())).requestHandler(router).listen(port, host))
            .onSuccess(s -> {
              server = s;
              log.info("HTTP API on {}://{}:{}/ ({})", settings.http().tls() == null ? "http" : "https", host, s.actualPort(),
                  tokens.isEmpty()
                  ? "no API tokens: open to anyone who can reach " + host : tokens.size() + " API tokens");
            }));
  }

  /**
   * The configured tokens. Bound to anything but a loopback address, the node refuses to start without any: an
   * open task API on a network would run any executor for anyone.
   */
  private static ApiTokens tokens(NodeSettings settings, String host) throws IOException {
    String file = settings.api().tokensFile();
    List<String> lines = file == null ? List.of() : Files.readAllLines(Paths.get(file));
    ApiTokens tokens = ApiTokens.parse(settings.api().tokens(), lines, "api.tokensFile " + file);
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("http.host '" + host + "' is not a known address");
    }
    if (!loopback && tokens.isEmpty()) {
      throw new IllegalStateException("refusing to serve the HTTP API on " + host + " without API tokens: "
          + "set api.tokens (token:role,… with roles admin, submit, read) or api.tokensFile, "
          + "or bind http.host to 127.0.0.1");
    }
    return tokens;
  }

  /** HTTPS only when {@code http.tls} names a certificate and its key: then nothing listens in plain text. */
  private static HttpServerOptions serverOptions(NodeSettings.Http http) {
    HttpServerOptions options = new HttpServerOptions();
    if (http.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(http.tls().certFile()).setKeyPath(http.tls().keyFile()));
    }
    return options;
  }

  private Router router(OpenAPIContract contract, Contract.Document document, Access access, NodeSettings settings, long maxBody) {
    Map<String, Handler<RoutingContext>> handlers = new Operations(vertx, directory, streams, document.text(), draining).handlers();
    ValidationErrors errors = new ValidationErrors(document.json());
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    if (!access.hasTokens()) {
      builder.rootHandler(new AllowedHosts(settings.http().allowedHosts())); // before anything else, the monitor's routes too
    }
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(maxBody));
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      Handler<RoutingContext> handler = handlers.remove(operation.getOperationId());
      if (handler == null) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " of " + Contract.DOCUMENT + " has no handler");
      }
      // Validation is ours rather than the builder's, so that the token is checked before anything else.
      route.setDoSecurity(false).setDoValidation(false).addHandler(access.require(Contract.roleFor(operation)));
      if (Draining.NEW_WORK.contains(operation.getOperationId())) {
        route.addHandler(draining);
      }
      route.addHandler(new ValidateRequest(operation, contract, errors))
          .addHandler(handler);
    }
    if (!handlers.isEmpty()) {
      throw new IllegalStateException("handlers without an operation in " + Contract.DOCUMENT + ": " + handlers.keySet());
    }
    Router router = builder.createRouter();
    for (RouteContributor contributor : contributors) {
      if (contributor.appliesTo(settings)) {
        contributor.mount(router, vertx, access);
      }
    }
    router.route().failureHandler(Failures::answer);
    router.route().last().handler(ctx -> Failures.noRoute(ctx, contract));
    return router;
  }

  /** The port it listens on (0 in the configuration picks a free one). */
  int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
