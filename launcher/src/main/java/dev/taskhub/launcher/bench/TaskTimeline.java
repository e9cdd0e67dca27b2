package dev.taskhub.launcher.bench;

import dev.taskhub.api.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * When each task was seen RUNNING and finished (DONE or ERROR) on the hub's task-event stream, in System.nanoTime():
 * the bench runs in the node's JVM, so it hears the events where the hub publishes them.
 */
final class TaskTimeline implements AutoCloseable {
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private final Map<Long, Long> finished = new ConcurrentHashMap<>();
  private final Map<Long, String> states = new ConcurrentHashMap<>();
  private final Object change = new Object();
  private final MessageConsumer<JsonObject> consumer;

  TaskTimeline(EventBus bus) {
    // Only the id and the state are read: the bench shares the node's CPU, and parsing whole tasks (their times) cost
    // it a visible share of a throughput run.
    consumer = bus.consumer(Addresses.TASK_EVENTS, msg -> {
      long now = System.nanoTime();
      JsonObject task = msg.body().getJsonObject("task");
      long id = task.getLong("id");
      String state = task.getString("state");
      switch (state) {
        case "RUNNING" -> running.putIfAbsent(id, now);
        case "DONE", "ERROR" -> {
          if (finished.putIfAbsent(id, now) == null) {
            states.put(id, state);
            synchronized (change) {
              change.notifyAll();
            }
          }
        }
        default -> { }
      }
    });
    consumer.completion().await();
  }

  /**
   * Waits until every task of {@code ids} has finished; answers when the last one did (System.nanoTime()). A task
   * that ended ERROR fails the run: the bench measures tasks that worked.
   */
  long awaitFinished(Collection<Long> ids, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    List<Long> waiting = new ArrayList<>(ids);
    while (true) {
      waiting.removeIf(finished::containsKey);
      if (waiting.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(waiting.size() + " of " + ids.size() + " tasks did not finish within "
            + timeoutSeconds + " s (task " + waiting.get(0) + " among them)");
      }
      synchronized (change) {
        change.wait(20);
      }
    }
    long last = 0;
    for (long id : ids) {
      if (!"DONE".equals(states.get(id))) {
        throw new IllegalStateException("task " + id + " ended " + states.get(id) + ": see the node's log above");
      }
      last = Math.max(last, finished.get(id));
    }
    return last;
  }

  long running(long id) {
    Long at = running.get(id);
    if (at == null) {
      throw new IllegalStateException("task " + id + " finished without a RUNNING event");
    }
    return at;
  }

  long finished(long id) {
    return finished.get(id);
  }

  @Override
  public void close() {
    consumer.unregister();
  }
}
