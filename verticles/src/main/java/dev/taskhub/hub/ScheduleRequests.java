package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Schedule;
import dev.taskhub.api.ScheduleSpec;
import dev.taskhub.api.Task;
import dev.taskhub.store.FireSchedules;
import dev.taskhub.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The hub's answers about schedules (create or replace, read, pause, resume, delete), and what it says when a schedule
 * changes or fires: {@link Addresses#SCHEDULES_CHANGED} to every hub and monitor, the new tasks to subscribers and
 * idle agents.
 */
final class ScheduleRequests {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRequests.class);

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final int maxDataBytes;
  private final Replies replies;
  private final Consumer<List<Task>> announceTasks;

  ScheduleRequests(Vertx vertx, Store store, Clock clock, int maxDataBytes, Replies replies, Consumer<List<Task>> announceTasks) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.maxDataBytes = maxDataBytes;
    this.replies = replies;
    this.announceTasks = announceTasks;
  }

  void register() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.SCHEDULE_PUT, msg -> replies.answer(msg, this::put));
    bus.<JsonObject>consumer(Addresses.SCHEDULE_GET, msg -> replies.answer(msg, body ->
        store.readSchedules().get(name(body)).map(Schedule::toJson)));
    bus.<JsonObject>consumer(Addresses.SCHEDULE_LIST, msg -> replies.answer(msg, body -> store.readSchedules().list()
        .map(all -> new JsonObject().put("schedules", new JsonArray(all.stream().map(Schedule::toJson).toList())))));
    bus.<JsonObject>consumer(Addresses.SCHEDULE_CHANGE, msg -> replies.answer(msg, this::change));
    bus.<JsonObject>consumer(Addresses.SCHEDULE_DELETE, msg -> replies.answer(msg, body -> {
      String name = name(body);
      return store.changeSchedules().delete(name).map(x -> {
        log.info("schedule {} deleted", name);
        changed(name);
        return new JsonObject();
      });
    }));
  }

  private Future<JsonObject> put(JsonObject body) {
    JsonObject given = body.getValue("schedule") instanceof JsonObject s ? s : null;
    ScheduleSpec spec = ScheduleSpec.fromJson(body.getString("name"), given, maxDataBytes);
    return store.changeSchedules().put(spec, clock.instant()).map(put -> {
      Schedule s = put.schedule();
      log.info("schedule {} {}: '{}' in {}, next run {}", s.name(), put.created() ? "created" : "replaced", s.cron(),
          s.timezone(), s.nextRunAt());
      changed(s.name());
      return new JsonObject().put("created", put.created()).put("schedule", s.toJson());
    });
  }

  private Future<JsonObject> change(JsonObject body) {
    String name = name(body);
    String action = ScheduleSpec.action(new JsonObject().put("action", body.getValue("action")));
    Future<Schedule> changed = action.equals("pause") ? store.changeSchedules().pause(name)
        : store.changeSchedules().resume(name, clock.instant());
    return changed.map(s -> {
      log.info("schedule {} {}d, next run {}", name, action, s.nextRunAt());
      changed(name);
      return s.toJson();
    });
  }

  /** A firing pass made tasks: log each tick, tell subscribers and agents, and let monitors show the next runs. */
  void fired(FireSchedules.Pass pass) {
    for (FireSchedules.Fired f : pass.fired()) {
      if (f.refusal() != null) {
        log.error("schedule {} tick {}: its task was refused ({}); fix it with PUT /api/schedules/{}", f.schedule(),
            f.tick(), f.refusal(), f.schedule());
      } else if (f.task() == null) {
        log.info("schedule {} tick {}: no task, a live task holds its key", f.schedule(), f.tick());
      } else {
        log.info("schedule {} tick {}{}: task {} ({})", f.schedule(), f.tick(),
            f.missedTicks() ? " (one task for the ticks missed while no hub fired them)" : "", f.task().id(), f.task().type());
      }
      changed(f.schedule());
    }
    List<Task> made = pass.fired().stream().map(FireSchedules.Fired::task).filter(Objects::nonNull).toList();
    if (!made.isEmpty()) {
      announceTasks.accept(made);
    }
  }

  private void changed(String name) {
    vertx.eventBus().publish(Addresses.SCHEDULES_CHANGED, new JsonObject().put("name", name));
  }

  private static String name(JsonObject body) {
    return ScheduleSpec.checkName(body.getString("name"));
  }
}
