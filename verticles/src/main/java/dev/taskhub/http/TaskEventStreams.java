package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.TaskState;
import dev.taskhub.web.EventStream;
import dev.taskhub.web.EventStream.Event;
import dev.taskhub.web.EventStream.WhenSlow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Server-sent events of single tasks ({@code GET /api/tasks/{id}/events}). All open streams of this verticle share
 * ONE event-bus consumer of {@link Addresses#TASK_EVENTS}, registered while at least one stream is open and
 * unregistered with the last: a thousand watchers cost one cluster subscription, and a client that goes away
 * leaves nothing behind. A slow client skips progress reports; a final state (or a deletion) ends the stream. Used
 * from the verticle's event loop only.
 */
final class TaskEventStreams {
  private static final Logger log = LoggerFactory.getLogger(TaskEventStreams.class);
  private static final long KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;
  private final Map<Long, Set<EventStream>> byTask = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long keepAliveTimer = -1;

  TaskEventStreams(Vertx vertx) {
    this.vertx = vertx;
  }

  int open() {
    return byTask.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Starts a stream: listens first, then reads the task, so no change can slip between the two. {@code current}
   * fails with NOT_FOUND for an unknown task, and then nothing has been written: the caller answers 404.
   */
  Future<Void> start(long id, HttpServerResponse response, Supplier<Future<JsonObject>> current) {
    EventStream[] stream = new EventStream[1];
    stream[0] = new EventStream(response, WhenSlow.SKIP_OPTIONAL, Integer.MAX_VALUE, () -> remove(id, stream[0]));
    add(id, stream[0]);
    return current.get()
        .onFailure(e -> stream[0].close())
        .map(task -> {
          task.remove("data");
          stream[0].snapshot(event("state", task));
          return null;
        });
  }

  /** A task's events arrive in order from its hub, and the snapshot cannot be placed among them: all are replayed. */
  private static Event event(String kind, JsonObject task) {
    boolean last = "deleted".equals(kind) || TaskState.valueOf(task.getString("state")).isFinal();
    return new Event(EventStream.UNORDERED, Event.frame(kind, task.encode()), "progress".equals(kind), last);
  }

  private void add(long id, EventStream stream) {
    byTask.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(stream);
    if (consumer == null) {
      consumer = vertx.eventBus().consumer(Addresses.TASK_EVENTS, msg -> dispatch(msg.body()));
      keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_MS, t -> keepAlive());
      log.debug("listening to task events for event streams");
    }
  }

  private void remove(long id, EventStream stream) {
    Set<EventStream> streams = byTask.get(id);
    if (streams != null && streams.remove(stream) && streams.isEmpty()) {
      byTask.remove(id);
    }
    if (byTask.isEmpty() && consumer != null) {
      consumer.unregister();
      consumer = null;
      vertx.cancelTimer(keepAliveTimer);
      log.debug("no event stream open: stopped listening to task events");
    }
  }

  private void keepAlive() {
    List.copyOf(byTask.values()).forEach(streams -> List.copyOf(streams).forEach(EventStream::keepAlive));
  }

  private void dispatch(JsonObject message) {
    JsonObject task = message.getJsonObject("task");
    Long id = task == null ? null : task.getLong("id");
    Set<EventStream> streams = id == null ? null : byTask.get(id);
    if (streams != null) {
      Event event = event(message.getString("kind"), task);
      List.copyOf(streams).forEach(s -> s.send(event));
    }
  }
}
