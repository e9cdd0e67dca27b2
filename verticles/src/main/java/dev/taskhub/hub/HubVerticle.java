package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Finalizer;
import dev.taskhub.api.LeaseTerms;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.hub.HubMetrics.ReleaseCause;
import dev.taskhub.metrics.Meters;
import dev.taskhub.node.NodeDirectory;
import dev.taskhub.node.NodeIdentity;
import dev.taskhub.store.ReadTasks;
import dev.taskhub.store.RegisterTasks;
import dev.taskhub.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The hub: the only verticle that talks to PostgreSQL. It answers users' requests (here) and agents' ({@link
 * AgentRequests}) on the event bus, pushes "work available" so idle agents never poll ({@link Notices}), and runs the
 * periodic jobs. Several hubs may run at once: every change is a guarded statement, so PostgreSQL alone decides who
 * wins.
 */
public class HubVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HubVerticle.class);

  private Store store;
  private LeaseTerms lease;
  private int maxDataBytes;
  private int maxBatch;
  private final Replies replies = new Replies();
  private MaintenanceLeader leader;
  private ReleaseDepartedNodes departures;
  private RunFinalizers finalizers;
  private final List<Finalizer> javaFinalizers = RunFinalizers.load();
  private HubMetrics metrics;
  private Transitions transitions;
  private Notices notices;
  private AllowedFinalizeUrls finalizeUrls;
  private ScheduleRequests schedules;
  private TypeLimits typeLimits;
  private TypeRequests types;
  private HandOutClaims handOut;
  private final Clock clock = Clock.systemUTC();

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.from(config());
    String url = settings.db().url();
    if (url == null) {
      return Future.failedFuture("the hub needs db.url (the launcher sets it to the embedded PostgreSQL when unset)");
    }
    lease = settings.agent().lease();
    maxDataBytes = settings.task().maxDataBytes();
    maxBatch = settings.task().maxBatch();
    store = Store.open(vertx, url, settings.db().poolSize(), settings.task().maxLogChars());
    finalizeUrls = new AllowedFinalizeUrls(settings.finalizer().allowedUrls());
    metrics = new HubMetrics(Meters.registry());
    transitions = new Transitions(metrics);
    notices = new Notices(vertx, transitions);
    typeLimits = new TypeLimits();
    // What the heartbeats say of the nodes: which have an executor for a type (GET /api/types says it the same way).
    NodeDirectory nodes = NodeDirectory.start(vertx, NodeIdentity.of(vertx, settings));
    AnnounceLimitedTypes limitedTypes = new AnnounceLimitedTypes(vertx, store.readTypeSettings(), nodes::executorNodes,
        notices::announceNow);
    notices.limitWith(typeLimits, limitedTypes);
    transitions.onLeftRunning(task -> {
      if (typeLimits.limited(task.type())) {
        limitedTypes.left(task);
      }
    });
    types = new TypeRequests(vertx, store, metrics.counts(), typeLimits, replies, notices::announce);
    return store.migrate()
        .compose(version -> types.start(settings.types()).map(version))
        .compose(version -> store.readTasks().counts().map(rows -> {
          metrics.counts().replace(rows); // the baseline that this hub's transitions then move
          return version;
        }))
        .compose(version -> FinalizedTypes.start(vertx, store.finalizations(), javaFinalizers).map(finalized -> {
          notices.finalizeWith(() -> {
            if (finalizers != null) { // the maintenance starts right after the consumers, in the same turn
              finalizers.runSoon();
            }
          }, finalized);
          return version;
        }))
        .compose(version -> {
          log.info("hub ready on schema version {}", version);
          schedules = new ScheduleRequests(vertx, store, clock, maxDataBytes, replies, notices::registered);
          registerConsumers();
          AgentRequests agents = new AgentRequests(vertx, store, lease, replies, notices, typeLimits);
          agents.register();
          handOut = agents.claims();
          new ShareTaskCounts(vertx, metrics.counts()).start();
          startMaintenance(settings);
          notices.announce(null); // agents that waited while no hub was up
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<?> stop() {
    if (departures != null) {
      departures.stop(); // null when not clustered with Hazelcast
    }
    if (leader != null) {
      leader.stop();
    }
    if (finalizers != null) {
      finalizers.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    return store == null ? Future.succeededFuture() : store.close();
  }

  private void registerConsumers() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.REGISTER, msg -> replies.answer(msg, this::register));
    bus.<JsonObject>consumer(Addresses.GET, msg -> replies.answer(msg, body -> store.readTasks().get(id(body))
        .map(Task::toJson)));
    bus.<JsonObject>consumer(Addresses.LIST, msg -> replies.answer(msg, this::list));
    // From memory: see TaskCounts and ReconcileTaskCounts.
    bus.<JsonObject>consumer(Addresses.STATS, msg -> replies.answer(msg, body -> Future.succeededFuture(metrics.counts().statsJson()
        .put("limits", typeLimits.limitsJson()))));
    bus.<JsonObject>consumer(Addresses.READY, msg -> replies.answer(msg, body -> store.unreadiness()
        .map(reasons -> new JsonObject().put("reasons", new JsonArray(reasons)))));
    bus.<JsonObject>consumer(Addresses.LOG, msg -> replies.answer(msg, body -> store.readTasks().log(id(body))
        .map(stored -> new JsonObject().put("log", stored.log()).put("state", stored.state().name()))));
    bus.<JsonObject>consumer(Addresses.UPDATE, msg -> replies.answer(msg, this::update));
    bus.<JsonObject>consumer(Addresses.DELETE, msg -> replies.answer(msg, this::delete));
    schedules.register();
    types.register();
  }

  /**
   * The periodic jobs run on one hub at a time, the {@link MaintenanceLeader}; releasing a departed node's tasks and
   * finalizing what this hub completed run on every hub, at once.
   */
  private void startMaintenance(NodeSettings settings) {
    String nodeId = NodeIdentity.of(vertx, settings);
    leader = new MaintenanceLeader(vertx, store.maintenanceLock(NodeIdentity.clusterNodeId(nodeId)), "hub " + nodeId);
    leader.start(1000);
    long period = Math.max(500, Math.min(5000, lease.periodMillis() / 2));
    int maxLost = settings.task().maxLostAttempts();
    new ReleaseExpiredLeases(vertx, store.releaseTasks(), maxLost,
        released -> notices.lost(released, ReleaseCause.timeout, "its agent's lease expired"), leader::isLeader).start(period);
    new ReconcileTaskCounts(vertx, store.readTasks(), leader::isLeader).start(settings.metrics().reconcileSeconds() * 1000L);
    new AnnounceDueTasks(vertx, store.dueTasks(), notices::announce, leader::isLeader).start(500); // a delayed task starts within a second
    finalizers = new RunFinalizers(vertx, store.finalizations(), settings.finalizer(), javaFinalizers);
    finalizers.start(1000, leader::isLeader);
    // Every hub fires due schedules: the database, not a leader, makes each tick's task once.
    new FireDueSchedules(vertx, store.fireSchedules(), store.readSchedules(), clock, settings.schedule().misfire(),
        maxDataBytes, schedules::fired).start(250);
    if (settings.retention().finished() != null) {
      new PurgeFinishedTasks(vertx, store.purgeTasks(), clock, settings.retention().finished(), leader::isLeader).start();
    }
    departures = ReleaseDepartedNodes.start(vertx, context, store.releaseTasks(), maxLost, leader,
        (released, node) -> notices.lost(released, ReleaseCause.node_lost, "its node " + node + " left the cluster"));
  }

  private Future<JsonObject> register(JsonObject body) {
    List<TaskSpec> specs = TaskSpec.listFromJson(body, maxDataBytes, maxBatch);
    finalizeUrls.check(specs);
    ClaimRequest agent = specs.size() == 1 ? waitingAgentFor(specs.get(0)) : null;
    if (agent == null) {
      return store.registerTasks().register(specs).map(tasks -> registered(body, tasks));
    }
    var handOver = new RegisterTasks.HandOver(agent.agent(), agent.node(), UUID.randomUUID(), lease.leaseSeconds());
    return store.registerTasks().register(specs.get(0), handOver).map(handed -> {
      JsonObject answer = registered(body, List.of(handed.task()));
      if (handed.claim() != null) {
        handOut.offer(agent, handed.claim());
      }
      return answer;
    });
  }

  private JsonObject registered(JsonObject body, List<Task> tasks) {
    notices.registered(tasks);
    if (!body.containsKey("tasks")) {
      return tasks.get(0).toJson();
    }
    return new JsonObject().put("tasks", new JsonArray(tasks.stream().map(Task::toJson).toList()));
  }

  /**
   * An agent waiting at this hub that a single new task can go to straight from its INSERT: a task that is due, has no
   * predecessors and whose type has no limit. A batch is announced instead: which of its tasks is most urgent may hang
   * on its types' default priorities, which only the INSERT reads.
   */
  private ClaimRequest waitingAgentFor(TaskSpec spec) {
    boolean due = spec.runAt() == null || !spec.runAt().isAfter(clock.instant());
    if (!due || !spec.dependsOn().isEmpty() || typeLimits.limited(spec.type())) {
      return null;
    }
    return handOut.waitingAgentFor(spec.type());
  }

  private Future<JsonObject> list(JsonObject q) {
    TaskState state = q.getString("state") == null ? null : TaskState.parse(q.getString("state"));
    int limit = q.getInteger("limit", 50);
    if (limit < 1 || limit > 1000) {
      throw Failure.BAD_REQUEST.exception("'limit' must be between 1 and 1000");
    }
    Long after = q.getLong("after");
    if (after != null && after < 1) {
      throw Failure.BAD_REQUEST.exception("'after' must be a task id (a positive integer)");
    }
    var filter = new ReadTasks.Filter(state, q.getString("type"), q.getString("tag"), q.getString("app"), q.getString("schedule"));
    return store.readTasks().list(filter, after, limit).map(ReadTasks.Page::toJson);
  }

  /** A user's change: a new priority, or an action (suspend, resume, cancel, retry), parsed as HTTP parses it. */
  private Future<JsonObject> update(JsonObject body) {
    long id = id(body);
    JsonObject fields = body.copy();
    fields.remove("id");
    TaskState.Change requested = TaskState.Change.fromJson(fields);
    if (requested.priority() != null) {
      return store.changeTasks().changePriority(id, requested.priority()).map(task -> {
        transitions.reprioritized(task);
        notices.publish(TaskEvent.state(task));
        return task.toJson();
      });
    }
    TaskState.Action change = requested.action();
    return store.changeTasks().apply(id, change).map(changed -> {
      Task task = changed.task();
      transitions.changed(task, changed.previous(), change.word());
      if (change == TaskState.Action.CANCEL && changed.previous() == TaskState.RUNNING) {
        vertx.eventBus().publish(Addresses.CANCELLED, new JsonObject().put("id", id));
      }
      notices.publish(TaskEvent.state(task));
      if (task.state() == TaskState.READY) {
        notices.announce(List.of(task.type()));
      }
      notices.announce(changed.readyTypes());
      return task.toJson();
    });
  }

  private Future<JsonObject> delete(JsonObject body) {
    return store.changeTasks().delete(id(body)).map(deleted -> {
      Task task = deleted.task();
      transitions.deleted(task);
      notices.publish(TaskEvent.deleted(task));
      notices.announce(deleted.readyTypes());
      return new JsonObject();
    });
  }

  static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw Failure.BAD_REQUEST.exception("'id' is required");
    }
    return id;
  }
}
