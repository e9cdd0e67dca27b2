package dev.taskhub.monitor;

import dev.taskhub.api.Addresses;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.api.TaskState;
import dev.taskhub.node.NodeDirectory;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The monitor: one aggregator per node that the page's streams share, so a hundred open pages cost the hub no more
 * than one. It follows every task event, node heartbeat and agent status, asks the hub for stats (once a second while
 * a page is open, every ten seconds otherwise, and never more than a fifth of the time a stats query takes) and for
 * the running and recent tasks (every 30 s while watched, to mend what events it missed), keeps the queue's recent
 * history, and publishes ONE coalesced update of what changed every {@value #FLUSH_MS} ms on the local address
 * {@link Addresses#MONITOR_UPDATES}. Pages open with {@link Addresses#MONITOR_SNAPSHOT}; see {@link MonitorRoutes}.
 *
 * <p>Update shape: {@code {"kind":"update","seq":n,"at":iso, "tasks":[compact task…], "removed":[id…],
 * "nodes":[…], "agents":[…], "stats":{…}, "history":[point…], "schedules":[…]}}, each part present only when it
 * changed; parts are
 * idempotent (tasks are upserts, nodes and agents whole lists, history points carry their time), so an update that
 * overlaps a snapshot does no harm. A snapshot ({@code "kind":"snapshot"}) holds every part, the node's id
 * ({@code "self"}) and the state rules the page acts by ({@code "states"}, see {@link StateRules}).
 */
public class MonitorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MonitorVerticle.class);
  static final long FLUSH_MS = 250;
  private static final long SAMPLE_MS = 2_000;
  private static final int HISTORY_POINTS = 450; // 15 minutes of 2 s points
  private static final long WATCH_TTL_MS = 3_000;
  private static final long HEARTBEAT_REQUEST_MS = 2_000;
  private static final long STATS_WATCHED_MS = 1_000;
  private static final long STATS_IDLE_MS = 10_000;
  private static final long RECONCILE_MS = 30_000;
  private static final int LIST_LIMIT = 1000;
  private static final DeliveryOptions HUB = new DeliveryOptions().setSendTimeout(10_000);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Clock clock;
  private String selfId;
  private NodeDirectory directory;
  private TaskBoard board;
  private QueueHistory history;
  private SchedulePanel schedules;
  private final JsonArray newPoints = new JsonArray();
  private JsonObject stats;
  private boolean statsChanged;
  private JsonArray sentNodes;
  private JsonArray sentAgents;
  private long seq;
  private long watchedUntil;
  private long statsTimer = -1;
  private boolean reconciling;

  public MonitorVerticle() {
    this(Clock.systemUTC());
  }

  MonitorVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.from(config());
    selfId = NodeIdentity.of(vertx, settings);
    directory = NodeDirectory.start(vertx, selfId);
    board = new TaskBoard(2_000, 2_000, 500);
    history = new QueueHistory(HISTORY_POINTS, clock.instant());
    schedules = new SchedulePanel(vertx, this::isWatched);
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.TASK_EVENTS, this::onTaskEvent);
    bus.<JsonObject>localConsumer(Addresses.MONITOR_SNAPSHOT, msg -> {
      watched();
      msg.reply(snapshot());
    });
    bus.<JsonObject>localConsumer(Addresses.MONITOR_WATCHING, msg -> watched());
    vertx.setPeriodic(FLUSH_MS, id -> flush());
    vertx.setPeriodic(SAMPLE_MS, id -> newPoints.add(history.sample(clock.instant())));
    vertx.setPeriodic(HEARTBEAT_REQUEST_MS, id -> {
      if (isWatched()) {
        bus.publish(Addresses.HEARTBEAT_REQUEST, new JsonObject());
      }
    });
    vertx.setPeriodic(RECONCILE_MS, id -> {
      if (isWatched()) {
        reconcile();
      }
    });
    refreshStats();
    reconcile();
    log.info("monitor on node {} follows tasks, nodes and agents", selfId);
    return Future.succeededFuture();
  }

  // ------------------------------------------------------------------ inputs

  private void onTaskEvent(Message<JsonObject> msg) {
    JsonObject task = msg.body().getJsonObject("task");
    boolean progress = "progress".equals(msg.body().getString("kind"));
    if (!progress) {
      TaskState state = TaskState.valueOf(task.getString("state"));
      if (state == TaskState.RUNNING) {
        history.taskStarted();
      } else if (state.isFinal()) {
        history.taskFinished();
      }
    }
    board.apply(task, progress);
  }

  /** A page is open: keep everything fresh for a few seconds more. */
  private void watched() {
    boolean wasWatched = isWatched();
    watchedUntil = clock.millis() + WATCH_TTL_MS;
    if (!wasWatched) {
      vertx.eventBus().publish(Addresses.HEARTBEAT_REQUEST, new JsonObject());
      if (statsTimer >= 0 && vertx.cancelTimer(statsTimer)) {
        refreshStats(); // do not let the first page wait for the idle period
      }
      reconcile();
      schedules.pageOpened();
    }
  }

  private boolean isWatched() {
    return clock.millis() < watchedUntil;
  }

  /** Asks the hub for stats, then again after a pause that depends on whether anyone watches and on how long it took. */
  private void refreshStats() {
    statsTimer = -1;
    long began = System.nanoTime();
    vertx.eventBus().<JsonObject>request(Addresses.STATS, new JsonObject(), HUB)
        .onSuccess(reply -> {
          JsonObject fresh = reply.body();
          if (!fresh.equals(stats)) {
            stats = fresh;
            statsChanged = true;
            history.depth(fresh.getJsonObject("byState"));
          }
        })
        .onFailure(e -> log.debug("stats not available: {}", e.getMessage()))
        .onComplete(x -> {
          long tookMs = (System.nanoTime() - began) / 1_000_000;
          long pause = Math.max(isWatched() ? STATS_WATCHED_MS : STATS_IDLE_MS, 5 * tookMs);
          statsTimer = vertx.setTimer(pause, id -> refreshStats());
        });
  }

  /** Fetches the running, ready and most recent tasks, to show what started before the monitor did. */
  private void reconcile() {
    if (reconciling) {
      return;
    }
    reconciling = true;
    long since = board.version();
    Future<List<JsonObject>> runningNow = list(new JsonObject().put("state", "RUNNING").put("limit", LIST_LIMIT));
    Future<List<JsonObject>> ready = list(new JsonObject().put("state", "READY").put("limit", LIST_LIMIT));
    Future<List<JsonObject>> recent = list(new JsonObject().put("limit", 200));
    Future.all(runningNow, ready, recent)
        .onSuccess(x -> {
          board.merge(ready.result(), since, false);
          board.merge(recent.result(), since, false);
          board.merge(runningNow.result(), since, runningNow.result().size() < LIST_LIMIT);
        })
        .onFailure(e -> log.debug("tasks not available: {}", e.getMessage()))
        .onComplete(x -> reconciling = false);
  }

  private Future<List<JsonObject>> list(JsonObject query) {
    return vertx.eventBus().<JsonObject>request(Addresses.LIST, query, HUB)
        .map(reply -> reply.body().getJsonArray("tasks").stream().map(JsonObject.class::cast).toList());
  }

  // ------------------------------------------------------------------ outputs

  /** Publishes ONE update of everything that changed since the last one, when a page watches. */
  private void flush() {
    if (!isWatched()) {
      board.forgetChanges();
      newPoints.clear();
      sentNodes = null;
      sentAgents = null;
      return;
    }
    JsonObject update = new JsonObject().put("kind", "update");
    JsonObject changes = board.drainChanges();
    if (changes != null) {
      update.mergeIn(changes);
    }
    JsonArray nodes = directory.nodesJson().getJsonArray("nodes");
    if (!nodes.equals(sentNodes)) {
      update.put("nodes", nodes);
      sentNodes = nodes;
    }
    JsonArray agents = directory.agentsJson().getJsonArray("agents");
    if (!agents.equals(sentAgents)) {
      update.put("agents", agents);
      sentAgents = agents;
    }
    if (statsChanged) {
      update.put("stats", stats);
      statsChanged = false;
    }
    JsonArray scheduleChange = schedules.drainChange();
    if (scheduleChange != null) {
      update.put("schedules", scheduleChange);
    }
    if (!newPoints.isEmpty()) {
      update.put("history", newPoints.copy());
      newPoints.clear();
    }
    if (update.size() > 1) {
      update.put("seq", ++seq).put("at", clock.instant().toString());
      vertx.eventBus().publish(Addresses.MONITOR_UPDATES, update, LOCAL);
    }
  }

  private JsonObject snapshot() {
    return new JsonObject().put("kind", "snapshot")
        .put("self", selfId)
        .put("tasks", board.all())
        .put("nodes", directory.nodesJson().getJsonArray("nodes"))
        .put("agents", directory.agentsJson().getJsonArray("agents"))
        .put("stats", stats)
        .put("history", history.points())
        .put("schedules", schedules.all())
        .put("states", StateRules.json())
        .put("seq", seq)
        .put("at", clock.instant().toString());
  }
}
