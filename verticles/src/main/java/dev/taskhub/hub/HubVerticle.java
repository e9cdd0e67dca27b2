package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.LeaseTerms;
import dev.taskhub.api.Priority;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.node.NodeIdentity;
import dev.taskhub.store.ReadTasks;
import dev.taskhub.store.ReleaseTasks;
import dev.taskhub.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;

/**
 * The hub: the only verticle that talks to PostgreSQL. It answers registrations and agents' claims and reports on
 * the event bus, and pushes "work available" so idle agents never poll. Several hubs may run at once: every
 * change is a guarded statement, so PostgreSQL alone decides who wins.
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
    return store.migrate()
        .compose(version -> {
          log.info("hub ready on schema version {}", version);
          registerConsumers();
          startMaintenance(settings);
          announce(null); // agents that waited while no hub was up
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
    return store == null ? Future.succeededFuture() : store.close();
  }

  private void registerConsumers() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.REGISTER, msg -> replies.answer(msg, this::register));
    bus.<JsonObject>consumer(Addresses.GET, msg -> replies.answer(msg, body -> store.readTasks().get(id(body))
        .map(Task::toJson)));
    bus.<JsonObject>consumer(Addresses.LIST, msg -> replies.answer(msg, this::list));
    bus.<JsonObject>consumer(Addresses.STATS, msg -> replies.answer(msg, body -> store.readTasks().stats()));
    bus.<JsonObject>consumer(Addresses.LOG, msg -> replies.answer(msg, body -> store.readTasks().log(id(body))
        .map(stored -> new JsonObject().put("log", stored.log()).put("state", stored.state().name()))));
    bus.<JsonObject>consumer(Addresses.UPDATE, msg -> replies.answer(msg, this::update));
    bus.<JsonObject>consumer(Addresses.DELETE, msg -> replies.answer(msg, this::delete));
    bus.<JsonObject>consumer(Addresses.CLAIM, msg -> replies.answer(msg, this::claim));
    bus.<JsonObject>consumer(Addresses.REPORT, msg -> replies.answer(msg, this::report));
    bus.<JsonObject>consumer(Addresses.COMPLETE, msg -> replies.answer(msg, this::complete));
    bus.<JsonObject>consumer(Addresses.RELEASE, msg -> replies.answer(msg, this::release));
    bus.<JsonObject>consumer(Addresses.REFUSE, msg -> replies.answer(msg, this::refuse));
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
    new ReleaseExpiredLeases(vertx, store.releaseTasks(), maxLost, this::leasesExpired, leader::isLeader).start(period);
    new AnnounceDueTasks(vertx, store.dueTasks(), this::announce, leader::isLeader).start(1000);
    finalizers = new RunFinalizers(vertx, store.finalizations(), settings.finalizer());
    finalizers.start(1000, leader::isLeader);
    departures = ReleaseDepartedNodes.start(vertx, context, store.releaseTasks(), maxLost, leader, this::released);
  }

  private Future<JsonObject> register(JsonObject body) {
    List<TaskSpec> specs = TaskSpec.listFromJson(body, maxDataBytes, maxBatch);
    return store.registerTasks().register(specs).map(tasks -> {
      tasks.forEach(t -> publish(TaskEvent.state(t)));
      announce(tasks.stream().filter(t -> t.state() == TaskState.READY).map(Task::type).distinct().toList());
      if (!body.containsKey("tasks")) {
        return tasks.get(0).toJson();
      }
      return new JsonObject().put("tasks", new JsonArray(tasks.stream().map(Task::toJson).toList()));
    });
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
    return store.readTasks().list(state, q.getString("type"), q.getString("tag"), after, limit)
        .map(ReadTasks.Page::toJson);
  }

  /** A user's change: a new priority, or an action (suspend, resume, cancel, retry). */
  private Future<JsonObject> update(JsonObject body) {
    long id = id(body);
    String priority = body.getString("priority");
    String action = body.getString("action");
    if ((priority == null) == (action == null)) {
      throw Failure.BAD_REQUEST.exception("give either 'priority' or 'action' (suspend, resume, cancel, retry)");
    }
    if (priority != null) {
      return store.changeTasks().changePriority(id, Priority.parse(priority)).map(task -> {
        log.info("task {} ({}) priority changed to {}", task.id(), task.type(), task.priority());
        publish(TaskEvent.state(task));
        return task.toJson();
      });
    }
    TaskState.Action change = TaskState.Action.parse(action);
    return store.changeTasks().apply(id, change).map(changed -> {
      Task task = changed.task();
      log.info("task {} ({}) {}: {} -> {}", task.id(), task.type(), change.word(), changed.previous(), task.state());
      if (change == TaskState.Action.CANCEL && changed.previous() == TaskState.RUNNING) {
        vertx.eventBus().publish(Addresses.CANCELLED, new JsonObject().put("id", id));
      }
      publish(TaskEvent.state(task));
      if (task.state() == TaskState.READY) {
        announce(List.of(task.type()));
      }
      announce(changed.readyTypes());
      return task.toJson();
    });
  }

  private Future<JsonObject> delete(JsonObject body) {
    return store.changeTasks().delete(id(body)).map(deleted -> {
      Task task = deleted.task();
      log.info("task {} ({}) deleted while {}", task.id(), task.type(), task.state());
      publish(TaskEvent.deleted(task));
      announce(deleted.readyTypes());
      return new JsonObject();
    });
  }

  private Future<JsonObject> claim(JsonObject body) {
    ClaimRequest request = ClaimRequest.fromJson(body);
    return store.claimTask().claim(request, lease.leaseSeconds()).map(claim -> {
      if (claim == null) {
        return new JsonObject();
      }
      log.info("task {} ({}) attempt {} claimed by {}", claim.task().id(), claim.task().type(), claim.task().attempts(), request.agent());
      publish(TaskEvent.state(claim.task()));
      return claim.toJson();
    });
  }

  private Future<JsonObject> report(JsonObject body) {
    ProgressReport report = ProgressReport.fromJson(body);
    return store.reportProgress().report(report, lease.leaseSeconds()).map(task -> {
      if (report.progress() != null || report.message() != null || report.details() != null) {
        publish(TaskEvent.progress(task));
      }
      return new JsonObject();
    });
  }

  private Future<JsonObject> complete(JsonObject body) {
    CompletionReport report = CompletionReport.fromJson(body);
    return store.completeAttempt().complete(report).map(completed -> {
      Task task = completed.task();
      log.info("task {} ({}) attempt {} ended {} (exit code {})", task.id(), task.type(), task.attempts(), task.state(), report.exitCode());
      publish(TaskEvent.state(task));
      announce(completed.readyTypes());
      if (task.state().isFinal()) {
        finalizers.runSoon();
      }
      return task.toJson();
    });
  }

  private Future<JsonObject> release(JsonObject body) {
    String reason = body.getString("reason", "released by its agent");
    return store.releaseTasks().byAgent(id(body), body.getString("leaseToken"), reason).map(task -> {
      log.info("task {} ({}) released: {}", task.id(), task.type(), reason);
      publish(TaskEvent.state(task));
      announce(List.of(task.type()));
      return task.toJson();
    });
  }

  /** An agent cannot start a task it claimed, and never will: it ends ERROR without retries. */
  private Future<JsonObject> refuse(JsonObject body) {
    JsonObject error = body.getJsonObject("error");
    if (error == null || error.getString("type") == null) {
      throw Failure.BAD_REQUEST.exception("'error' with a 'type' is required");
    }
    return store.refuseTask().refuse(id(body), body.getString("leaseToken"), error).map(refused -> {
      Task task = refused.task();
      log.warn("task {} ({}) attempt {} ended ERROR, not started: {}", task.id(), task.type(), task.attempts(),
          error.getString("message"));
      publish(TaskEvent.state(task));
      announce(refused.readyTypes());
      finalizers.runSoon();
      return task.toJson();
    });
  }

  private void leasesExpired(ReleaseTasks.Released released) {
    for (Task t : released.requeued()) {
      // The row no longer names its agent; the task's log does.
      log.warn("task {} ({}) attempt {} released: its agent's lease expired", t.id(), t.type(), t.attempts());
    }
    released(released);
  }

  /**
   * Tasks released because their node was lost: READY again (tell subscribers, wake the idle agents), or, lost once
   * too often, ended ERROR (finalized like any ending; their dependents may have become READY).
   */
  private void released(ReleaseTasks.Released released) {
    released.tasks().forEach(t -> publish(TaskEvent.state(t)));
    for (Task t : released.ended()) {
      log.warn("task {} ({}) attempt {} ended ERROR: {}", t.id(), t.type(), t.attempts(), t.error().getString("message"));
    }
    announce(released.requeued().stream().map(Task::type).distinct().toList());
    announce(released.readyTypes());
    if (!released.ended().isEmpty()) {
      finalizers.runSoon();
    }
  }

  /** Tells idle agents that tasks of these types may be claimable now; {@code null} means any type. */
  private void announce(Collection<String> types) {
    if (types != null && types.isEmpty()) {
      return;
    }
    vertx.eventBus().publish(Addresses.AVAILABLE,
        new JsonObject().put("types", types == null ? null : new JsonArray(List.copyOf(types))));
  }

  private void publish(TaskEvent event) {
    vertx.eventBus().publish(Addresses.TASK_EVENTS, event.toJson());
  }

  private static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw Failure.BAD_REQUEST.exception("'id' is required");
    }
    return id;
  }
}
