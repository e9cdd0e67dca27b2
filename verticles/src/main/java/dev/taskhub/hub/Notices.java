package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.api.TaskState;
import dev.taskhub.hub.HubMetrics.ReleaseCause;
import dev.taskhub.store.ReleaseTasks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What follows a change of tasks, whichever request made it: the count and the log line ({@link Transitions}), the
 * event for subscribers ({@link Addresses#TASK_EVENTS}), the announcement that wakes idle agents
 * ({@link Addresses#AVAILABLE}), and the finalizers' turn when a task ended. Used from the hub's event loop.
 */
final class Notices {
  private final Vertx vertx;
  private final Transitions transitions;
  private Runnable finalize = () -> { };
  private FinalizedTypes finalized;
  private TypeLimits limits;
  private AnnounceLimitedTypes limited;
  /** This hub's announcements are {@code <announcementIds>:<n>}: unique across hubs and restarts. */
  private final String announcementIds = UUID.randomUUID().toString();
  private long announcements;

  Notices(Vertx vertx, Transitions transitions) {
    this.vertx = vertx;
    this.transitions = transitions;
  }

  Transitions transitions() {
    return transitions;
  }

  /** What runs finalizations now, once the maintenance has started; which endings have a finalization row. */
  void finalizeWith(Runnable finalize, FinalizedTypes finalized) {
    this.finalize = finalize;
    this.finalized = finalized;
  }

  /** New tasks (registered, or made by a schedule): their announcement says how many are READY. */
  void registered(List<Task> tasks) {
    transitions.registered(tasks);
    tasks.forEach(t -> publish(TaskEvent.state(t)));
    Map<String, Integer> ready = new LinkedHashMap<>();
    tasks.stream().filter(t -> t.state() == TaskState.READY).forEach(t -> ready.merge(t.type(), 1, Integer::sum));
    announce(ready.keySet(), ready);
  }

  /** RUNNING tasks that are READY again. */
  void requeued(List<Task> tasks, ReleaseCause cause, String why) {
    transitions.released(tasks, cause, why);
    tasks.forEach(t -> publish(TaskEvent.state(t)));
    announce(tasks.stream().map(Task::type).distinct().toList());
  }

  /**
   * Tasks whose lease or node was lost: READY again, or ended ERROR {@code NodeLost} once lost
   * {@code task.maxLostAttempts} times (then finalized, their dependents settled).
   */
  void lost(ReleaseTasks.Released released, ReleaseCause cause, String why) {
    transitions.released(released.tasks(), cause, why);
    released.tasks().forEach(t -> publish(TaskEvent.state(t)));
    announce(released.requeued().stream().map(Task::type).distinct().toList());
    announce(released.readyTypes());
    finished(released.ended());
  }

  /**
   * Tasks that ended by their own run (DONE, or ERROR): those without a finalization row are published on
   * {@link Addresses#TASK_FINISHED} here; the others' finalizations are due.
   */
  void finished(List<Task> tasks) {
    boolean rows = false;
    for (Task t : tasks) {
      if (finalized != null && !finalized.recorded(t)) {
        vertx.eventBus().publish(Addresses.TASK_FINISHED, t.toJson());
      } else {
        rows = true;
      }
    }
    if (rows) {
      finalize.run();
    }
  }

  /** Which types have limits, and who announces them: only when one of their tasks can start. */
  void limitWith(TypeLimits limits, AnnounceLimitedTypes limited) {
    this.limits = limits;
    this.limited = limited;
  }

  /**
   * Tells idle agents that tasks of these types may be claimable now; {@code null} means any type. A type with a limit
   * is announced once the database says one of its tasks can start ({@link AnnounceLimitedTypes}).
   */
  void announce(Collection<String> types) {
    announce(types, null);
  }

  /** {@code ready}: how many READY tasks of each type there are new, when known (null: unknown, every idle agent asks). */
  private void announce(Collection<String> types, Map<String, Integer> ready) {
    if (limits == null || types == null || !limits.anyLimited(types)) {
      announceNow(types, ready);
      return;
    }
    List<String> now = new ArrayList<>(types.size());
    for (String type : types) {
      if (limits.limited(type)) {
        limited.announceIfRoom(type);
      } else {
        now.add(type);
      }
    }
    announceNow(now, ready);
  }

  /** Tells idle agents of these types (null: any) at once. */
  void announceNow(Collection<String> types) {
    announceNow(types, null);
  }

  /**
   * With the number of new READY tasks of these types when it is known: each node then wakes that many of its idle
   * agents, not all of them (the agents' AnnouncementShares), and the id tells one announcement from another.
   */
  private void announceNow(Collection<String> types, Map<String, Integer> ready) {
    if (types != null && types.isEmpty()) {
      return;
    }
    JsonObject announcement = new JsonObject().put("types", types == null ? null : new JsonArray(List.copyOf(types)));
    if (types != null && ready != null) {
      announcement.put("id", announcementIds + ":" + ++announcements)
          .put("tasks", types.stream().mapToInt(type -> ready.getOrDefault(type, 0)).sum());
    }
    vertx.eventBus().publish(Addresses.AVAILABLE, announcement);
  }

  void publish(TaskEvent event) {
    vertx.eventBus().publish(Addresses.TASK_EVENTS, event.toJson());
  }
}
