package dev.taskhub.monitor;

import dev.taskhub.api.Settings;
import dev.taskhub.http.ApiTokens;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.Arrays;

/**
 * The monitor's part of the HTTP server, mounted by the HTTP verticle when the node's roles include {@code monitor}
 * (one listener per port: the monitor does not open its own). Everything here is read-only:
 * <ul>
 *   <li>{@code GET /} and {@code /monitor/*}: the page, its script and style (from {@code webroot/monitor} on the
 *       class path), and front-end libraries as WebJars under {@code /webjars/*};</li>
 *   <li>{@code GET /monitor/stream}: server-sent events, see {@link MonitorStream};</li>
 *   <li>{@code GET /monitor/access}: what the page's token allows, see {@link MonitorAccess}.</li>
 * </ul>
 * Actions go through the REST API ({@code PATCH /api/tasks/{id}}), never through the stream.
 */
public final class MonitorRoutes {
  static final String WEBROOT = "webroot/monitor";

  private MonitorRoutes() {
  }

  /** Mounts the page and its stream when this node has the {@code monitor} role; does nothing otherwise. */
  public static void mount(Router router, Vertx vertx, Settings settings, ApiTokens tokens) {
    boolean monitor = Arrays.stream(settings.string("node.roles", "monitor").split(",")).map(String::trim).anyMatch("monitor"::equals);
    if (!monitor) {
      return;
    }
    MonitorAccess access = new MonitorAccess(tokens);
    MonitorStream stream = new MonitorStream(vertx, access);
    // The page changes with each release: no day-long browser cache for it. WebJars carry their version in the path.
    StaticHandler page = StaticHandler.create(WEBROOT).setCachingEnabled(false);
    router.get("/monitor/stream").handler(stream::open);
    router.get("/monitor/access").handler(ctx -> ctx.json(access.describe(ctx.request())));
    router.get("/").handler(page);
    router.get("/monitor/*").handler(page);
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
  }
}
