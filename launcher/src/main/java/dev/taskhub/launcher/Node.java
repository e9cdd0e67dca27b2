package dev.taskhub.launcher;

import dev.taskhub.agent.ExecutorToken;
import dev.taskhub.agent.InstalledExecutors;
import dev.taskhub.api.Addresses;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.config.NodeSettings.Role;
import dev.taskhub.hub.HubVerticle;
import dev.taskhub.http.HttpVerticle;
import dev.taskhub.metrics.Meters;
import dev.taskhub.monitor.MonitorRoutes;
import dev.taskhub.monitor.MonitorVerticle;
import dev.taskhub.node.HeartbeatVerticle;
import dev.taskhub.node.NodeIdentity;
import dev.taskhub.supervisor.SupervisorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Taskhub node: a Vert.x instance with the verticles its roles name, and the embedded PostgreSQL when no
 * {@code db.url} is given. The hub starts first (it migrates the schema), then the agents and the HTTP bridge.
 * It stops in the other order ({@link #close}): the agents first, while a hub still records what they give back, the
 * hub last, then Vert.x, then the embedded PostgreSQL the hub wrote to. A {@link #drain} before it lets running tasks end.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final long UNDEPLOY_SECONDS = 30;

  private final Vertx vertx;
  private final EmbeddedDatabase database;
  private final JsonObject config;
  // Deployment ids, for stopping in order; null where this node does not run that part.
  private volatile String hub;
  private volatile String supervisor;
  private final List<String> front = new CopyOnWriteArrayList<>(); // the heartbeat, the monitor, the HTTP API
  private boolean closed;

  private Node(Vertx vertx, EmbeddedDatabase database, JsonObject config) {
    this.vertx = vertx;
    this.database = database;
    this.config = config;
  }

  /** Starts the node; blocking, for a main thread or a test. */
  public static Node start(JsonObject config) throws Exception {
    config = config.copy();
    NodeSettings settings = NodeSettings.from(config);
    if (settings.runs(Role.agents) && settings.agent().count() > 0) {
      ExecutorToken.check(settings); // an admin executor.token stops the node here, before anything has started
    }
    if (settings.nodeId() == null) {
      config.put("node.id", defaultId());
    }
    EmbeddedDatabase database = null;
    if (settings.runs(Role.hub) && settings.db().url() == null) {
      database = EmbeddedDatabase.start(settings.dataDir());
      config.put("db.url", database.url());
    }
    if (settings.runs(Role.http) && settings.hubUrl() == null) {
      // This node's API as its executors (and the bench) reach it; executor.hubUrl, when set, is what executors get.
      config.put("hub.url", settings.ownApiUrl());
    }
    Vertx vertx;
    try {
      VertxOptions options = Meters.enable(new VertxOptions());
      vertx = settings.cluster().enabled() ? ClusterSetup.startVertx(options, settings.cluster()) : Vertx.vertx(options);
    } catch (Exception e) {
      closeQuietly(database);
      throw e;
    }
    // In a cluster the node id carries the Hazelcast member id, so a departure maps to this node's tasks.
    config.put("node.id", NodeIdentity.of(vertx, NodeSettings.from(config)));
    Node node = new Node(vertx, database, config);
    try {
      if (settings.runs(Role.hub)) {
        node.hub = node.deploy(new HubVerticle()).await();
      }
      List<Future<?>> rest = new ArrayList<>();
      rest.add(node.deploy(new HeartbeatVerticle(InstalledExecutors::types)).onSuccess(node.front::add));
      if (settings.runs(Role.agents) && settings.agent().count() > 0) {
        rest.add(node.deploy(new SupervisorVerticle()).onSuccess(id -> node.supervisor = id));
      }
      if (settings.runs(Role.monitor)) {
        rest.add(node.deploy(new MonitorVerticle()).onSuccess(node.front::add));
      }
      if (settings.runs(Role.http)) {
        rest.add(node.deploy(new HttpVerticle(settings.runs(Role.monitor) ? List.of(new MonitorRoutes()) : List.of()))
            .onSuccess(node.front::add));
      }
      Future.all(rest).await();
    } catch (Exception e) {
      node.close();
      throw e;
    }
    log.info("node {} up with roles {}{}{}", config.getString("node.id"), settings.roles(),
        vertx.isClustered() ? ", in cluster '" + settings.cluster().name() + "'" : "",
        database == null ? "" : ", embedded PostgreSQL under " + settings.dataDir());
    return node;
  }

  private Future<String> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config));
  }

  /** A node with no {@code node.id}: its host name plus a random suffix. */
  static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  public Vertx vertx() {
    return vertx;
  }

  public JsonObject config() {
    return config;
  }

  /**
   * Drains the node, blocking (call it from a plain thread, never an event loop): its HTTP API refuses new work and
   * reports NOT_READY, its heartbeat says it drains, its agents claim nothing more and let the tasks they run end and
   * be recorded. Returns true once they all have; false when {@code node.shutdownGraceSeconds} ran out first, or
   * {@code enough} completed (a second SIGTERM). Then {@link #close} kills and gives back what still runs.
   */
  public boolean drain(CompletableFuture<?> enough) {
    int grace = NodeSettings.from(config).shutdownGraceSeconds();
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    vertx.eventBus().publish(Addresses.NODE_DRAINING, new JsonObject().put("graceSeconds", grace), local);
    if (supervisor == null) {
      return true; // no agents here: nothing runs that could end
    }
    log.info("node {} drains: it claims nothing more, its running tasks have {} s (node.shutdownGraceSeconds) to end",
        config.getString("node.id"), grace);
    CompletableFuture<?> drained = vertx.eventBus().request(Addresses.AGENTS_DRAIN, new JsonObject(),
        new DeliveryOptions(local).setSendTimeout((grace + 60) * 1000L)).toCompletionStage().toCompletableFuture();
    try {
      CompletableFuture.anyOf(drained, enough).get(grace, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("node {}: the grace of {} s ran out; the tasks still running are killed and released for another node",
          config.getString("node.id"), grace);
      return false;
    } catch (Exception e) {
      // the request failed, or this thread was interrupted: stop now, as when the grace runs out
    }
    if (drained.isDone() && !drained.isCompletedExceptionally()) {
      log.info("node {} drained: every task it ran has ended and been recorded", config.getString("node.id"));
      return true;
    }
    log.warn("node {}: told again to stop; the tasks still running are killed and released for another node",
        config.getString("node.id"));
    return false;
  }

  /**
   * Stops the node in order: the agents first (what still runs is killed and given back, READY at once and the attempt
   * not counted, through a hub — maybe this node's — that must still be up), then the HTTP API, the monitor and the
   * heartbeat, then the hub, then Vert.x, and the embedded PostgreSQL last, when nothing writes to it any more.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    undeploy(supervisor, "the agents");
    for (String id : front) {
      undeploy(id, "deployment " + id);
    }
    undeploy(hub, "the hub");
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(UNDEPLOY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("closing Vert.x: {}", e.toString());
    }
    closeQuietly(database);
  }

  /** Undeploys one part, waiting a bounded time: a part that hangs must not keep the node from stopping. */
  private void undeploy(String deploymentId, String what) {
    if (deploymentId == null) {
      return;
    }
    try {
      vertx.undeploy(deploymentId).toCompletionStage().toCompletableFuture().get(UNDEPLOY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("stopping {}: {}", what, e.toString());
    }
  }

  private static void closeQuietly(EmbeddedDatabase database) {
    if (database != null) {
      try {
        database.close();
      } catch (Exception e) {
        log.warn("stopping the embedded PostgreSQL: {}", e.toString());
      }
    }
  }
}
