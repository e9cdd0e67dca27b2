package dev.taskhub.client;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers and follows tasks from any JVM on the Taskhub cluster's event bus, without HTTP: give it the
 * application's clustered {@link Vertx}. Every call returns a {@link Future}; a refusal fails it with a
 * {@link dev.taskhub.api.TaskhubException} whose {@link Failure} says why (BAD_REQUEST, NOT_FOUND, CONFLICT,
 * TOO_LARGE, or UNAVAILABLE when no hub answers). It holds no state of its own: share one per Vert.x instance.
 *
 * <pre>{@code
 * TaskhubClient taskhub = new TaskhubClient(vertx);
 * taskhub.register("wordcount", new JsonObject().put("text", "to be or not to be"))
 *     .compose(task -> taskhub.subscribe(task.id(), event -> System.out.println(event.task().progress())));
 * }</pre>
 */
public final class TaskhubClient {
  private final Vertx vertx;
  private final DeliveryOptions delivery;

  public TaskhubClient(Vertx vertx) {
    this(vertx, Duration.ofSeconds(15));
  }

  /** @param timeout how long to wait for a hub's answer before failing with UNAVAILABLE */
  public TaskhubClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
  }

  /** Registers one task; the future holds it as stored (READY, or WAITING for its predecessors). */
  public Future<Task> register(TaskSpec spec) {
    return request(Addresses.REGISTER, spec.toJson()).map(Task::fromJson);
  }

  /** Registers a task of this type with this data, and the defaults for everything else. */
  public Future<Task> register(String type, JsonObject data) {
    return register(TaskSpec.of(type, data));
  }

  /** Registers all tasks, or none if one is refused; the future holds them in the order given. */
  public Future<List<Task>> registerAll(List<TaskSpec> specs) {
    JsonArray tasks = new JsonArray(specs.stream().map(TaskSpec::toJson).toList());
    return request(Addresses.REGISTER, new JsonObject().put("tasks", tasks)).map(reply -> {
      List<Task> registered = new ArrayList<>();
      reply.getJsonArray("tasks").forEach(t -> registered.add(Task.fromJson((JsonObject) t)));
      return registered;
    });
  }

  public Future<Task> get(long id) {
    return request(Addresses.GET, new JsonObject().put("id", id)).map(Task::fromJson);
  }

  /** Cancels a task that has not ended; a running executor is killed at once. CONFLICT when the task ended already. */
  public Future<Task> cancel(long id) {
    return request(Addresses.UPDATE, new JsonObject().put("id", id).put("action", TaskState.Action.CANCEL.word()))
        .map(Task::fromJson);
  }

  /**
   * Calls {@code handler} with every change of state and every (coalesced) progress report of one task, until the
   * task ends or is deleted, or the subscription is closed. The future completes once the subscription is active
   * everywhere on the cluster; a change made before that may be missed, so read the task with {@link #get} after.
   */
  public Future<TaskSubscription> subscribe(long id, Handler<TaskEvent> handler) {
    TaskSubscription[] subscription = new TaskSubscription[1];
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.TASK_EVENTS, msg -> {
      JsonObject task = msg.body().getJsonObject("task");
      if (task == null || !Long.valueOf(id).equals(task.getLong("id"))) {
        return;
      }
      TaskEvent event = TaskEvent.fromJson(msg.body());
      handler.handle(event);
      if (event.kind().equals("deleted") || event.task().state().isFinal()) {
        subscription[0].close();
      }
    });
    subscription[0] = new TaskSubscription(consumer);
    return consumer.completion().map(subscription[0]);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, delivery)
        .map(reply -> reply.body())
        .recover(e -> Future.failedFuture(refusal(e)));
  }

  private static Throwable refusal(Throwable e) {
    if (!(e instanceof ReplyException r)) {
      return e;
    }
    return switch (r.failureType()) {
      case NO_HANDLERS -> Failure.UNAVAILABLE.exception("no hub is running on this event bus: try again when one is up");
      case TIMEOUT -> Failure.UNAVAILABLE.exception("no hub answered in time: the request may or may not have been applied");
      default -> Failure.ofCode(r.failureCode()).exception(r.getMessage());
    };
  }

  /** An active {@link #subscribe subscription}; closing it stops the events. */
  public static final class TaskSubscription implements AutoCloseable {
    private final MessageConsumer<JsonObject> consumer;

    private TaskSubscription(MessageConsumer<JsonObject> consumer) {
      this.consumer = consumer;
    }

    /** Stops the events; the future completes when the cluster knows. */
    public Future<Void> unsubscribe() {
      return consumer.isRegistered() ? consumer.unregister() : Future.succeededFuture();
    }

    @Override
    public void close() {
      unsubscribe();
    }
  }
}
