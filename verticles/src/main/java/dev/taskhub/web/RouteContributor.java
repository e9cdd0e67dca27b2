package dev.taskhub.web;

import dev.taskhub.config.NodeSettings;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Routes that another part of the node adds to the HTTP server, which keeps one listener per port: the monitor's
 * page and stream, for instance. The HTTP verticle is handed its contributors by the node, or finds them with
 * {@link java.util.ServiceLoader} (register an implementation in
 * {@code META-INF/services/dev.taskhub.web.RouteContributor}) when it is deployed on its own.
 */
public interface RouteContributor {

  /** Whether these routes belong on this node, from its configuration. */
  boolean appliesTo(NodeSettings settings);

  /**
   * Mounts the routes, before the API's catch-all answers (404, 405). A route checks its own access with
   * {@link Access#require}.
   */
  void mount(Router router, Vertx vertx, Access access);
}
