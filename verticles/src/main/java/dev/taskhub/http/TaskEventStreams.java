package dev.taskhub.http;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
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
 * leaves nothing behind. Used from the verticle's event loop only.
 */
final class TaskEventStreams {
  private static final Logger log = LoggerFactory.getLogger(TaskEventStreams.class);
  private static final long KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;
  private final Map<Long, Set<Stream>> byTask = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long keepAliveTimer = -1;

  TaskEventStreams(Vertx vertx) {
    this.vertx = vertx;
  }

  /** One client's stream. Events that arrive before the task's current state was sent wait in {@code early}. */
  private final class Stream {
    final long id;
    final HttpServerResponse response;
    List<JsonObject> early = new ArrayList<>();
    boolean closed;

    Stream(long id, HttpServerResponse response) {
      this.id = id;
      this.response = response;
    }

    void event(JsonObject event) {
      if (early != null) {
        early.add(event);
      } else {
        send(event.getString("kind"), event.getJsonObject("task"));
      }
    }

    /** Writes one event; after a final state (or a deletion) the stream ends. */
    void send(String kind, JsonObject task) {
      if (closed || response.closed()) {
        close();
        return;
      }
      if ("progress".equals(kind) && response.writeQueueFull()) {
        return; // a slow client skips a progress snapshot; the next one says it all
      }
      response.write("event: " + kind + "\ndata: " + task.encode() + "\n\n");
      if ("deleted".equals(kind) || TaskState.valueOf(task.getString("state")).isFinal()) {
        close();
        response.end();
      }
    }

    void close() {
      if (!closed) {
        closed = true;
        remove(this);
      }
    }
  }

  int open() {
    return byTask.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Starts a stream: listens first, then reads the task, so no change can slip between the two. {@code current}
   * fails with NOT_FOUND for an unknown task, and then nothing has been written: the caller answers 404.
   */
  Future<Void> start(long id, HttpServerResponse response, Supplier<Future<JsonObject>> current) {
    Stream stream = new Stream(id, response);
    add(stream);
    response.closeHandler(v -> stream.close());
    response.exceptionHandler(e -> stream.close());
    return current.get()
        .onFailure(e -> stream.close())
        .map(task -> {
          if (stream.closed || response.closed()) {
            stream.close();
            return null;
          }
          response.setChunked(true).setStatusCode(200)
              .putHeader("content-type", "text/event-stream; charset=utf-8")
              .putHeader("cache-control", "no-cache")
              .putHeader("x-accel-buffering", "no"); // nginx: do not buffer the stream
          task.remove("data");
          List<JsonObject> early = stream.early;
          stream.early = null;
          stream.send("state", task);
          early.forEach(e -> stream.send(e.getString("kind"), e.getJsonObject("task")));
          return null;
        });
  }

  private void add(Stream stream) {
    byTask.computeIfAbsent(stream.id, k -> new LinkedHashSet<>()).add(stream);
    if (consumer == null) {
      consumer = vertx.eventBus().consumer(Addresses.TASK_EVENTS, msg -> dispatch(msg.body()));
      keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_MS, t -> keepAlive());
      log.debug("listening to task events for event streams");
    }
  }

  private void remove(Stream stream) {
    Set<Stream> streams = byTask.get(stream.id);
    if (streams != null && streams.remove(stream) && streams.isEmpty()) {
      byTask.remove(stream.id);
    }
    if (byTask.isEmpty() && consumer != null) {
      consumer.unregister();
      consumer = null;
      vertx.cancelTimer(keepAliveTimer);
      log.debug("no event stream open: stopped listening to task events");
    }
  }

  private void dispatch(JsonObject event) {
    JsonObject task = event.getJsonObject("task");
    Long id = task == null ? null : task.getLong("id");
    Set<Stream> streams = id == null ? null : byTask.get(id);
    if (streams != null) {
      List.copyOf(streams).forEach(s -> s.event(event));
    }
  }

  /** A comment line now and then keeps proxies and load balancers from closing an idle stream. */
  private void keepAlive() {
    for (Set<Stream> streams : List.copyOf(byTask.values())) {
      for (Stream s : List.copyOf(streams)) {
        if (s.early == null && !s.closed) {
          s.response.write(": keep-alive\n\n");
        }
      }
    }
  }
}
