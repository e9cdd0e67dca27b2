package dev.taskhub.monitor;

import dev.taskhub.config.NodeSettings;
import dev.taskhub.web.Access;
import dev.taskhub.web.ApiTokens.Role;
import dev.taskhub.web.RouteContributor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;


/**
 * The monitor's part of the HTTP server, handed to the HTTP verticle when the node's roles include {@code monitor}
 * (one listener per port: the monitor does not open its own). Everything here is read-only:
 * <ul>
 *   <li>{@code GET /} and {@code /monitor/*}: the page, its script and style (from {@code webroot/monitor} on the
 *       class path), and front-end libraries as WebJars under {@code /webjars/*};</li>
 *   <li>{@code GET /monitor/stream}: server-sent events for any valid token, see {@link MonitorStream};</li>
 *   <li>{@code GET /monitor/access}: what the page's token allows.</li>
 * </ul>
 * Actions go through the REST API ({@code PATCH /api/tasks/{id}}, which needs {@code admin}), never through the stream.
 */
public final class MonitorRoutes implements RouteContributor {
  static final String WEBROOT = "webroot/monitor";

  @Override
  public boolean appliesTo(NodeSettings settings) {
    return settings.runs(NodeSettings.Role.monitor);
  }

  @Override
  public void mount(Router router, Vertx vertx, Access access) {
    MonitorStream stream = new MonitorStream(vertx);
    // The page changes with each release: no day-long browser cache for it. WebJars carry their version in the path.
    StaticHandler page = StaticHandler.create(WEBROOT).setCachingEnabled(false);
    router.get("/monitor/stream").handler(access.require(Role.read)).handler(stream::open);
    router.get("/monitor/access").handler(ctx -> ctx.json(describe(access, ctx.request())));
    router.get("/").handler(page);
    router.get("/monitor/*").handler(page);
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
  }

  /**
   * {@code {"tokens": bool, "role": r|null, "mayWatch": bool, "mayAct": bool}}, for the page to show what it may:
   * any valid token watches, acting needs {@code admin}. Without tokens whoever reaches the node may both.
   */
  private static JsonObject describe(Access access, HttpServerRequest request) {
    Role role = access.roleOf(request);
    return new JsonObject().put("tokens", access.hasTokens()).put("role", role == null ? null : role.name())
        .put("mayWatch", role != null).put("mayAct", role != null && role.includes(Role.admin));
  }
}
