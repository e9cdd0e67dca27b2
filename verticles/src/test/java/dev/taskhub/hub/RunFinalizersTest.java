package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Finalizer;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.store.Store;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The finalization contract against a real PostgreSQL: a deleted task is still finalized, a Java finalizer that
 * succeeded is not run again when a sibling fails, and the time limit counts only a finalizer's own run.
 */
@Timeout(60)
@ExtendWith(TestDatabase.class)
class RunFinalizersTest {
  Vertx vertx;
  Context context;
  Store store;
  Pool sql;
  TestDatabase.Fresh database;

  @BeforeEach
  void open(TestDatabase.Fresh fresh) {
    // One worker thread: finalizations that end together queue for it, as they do for a busy hub's pool.
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    context = vertx.getOrCreateContext();
    database = fresh;
    store = Store.open(vertx, fresh.url(), 4, 10_000);
    store.migrate().await();
    sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(fresh.url())).using(vertx).build();
    Steady.calls.set(0);
    FailsOnce.calls.set(0);
    Sleeps.calls.set(0);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aJavaFinalizerThatSucceededIsNotRunAgainWhenASiblingFailed() throws Exception {
    AtomicInteger events = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.TASK_FINISHED, msg -> events.incrementAndGet());
    RunFinalizers finalizers = finalizers(5, new Steady(), new FailsOnce());
    long id = finishedTask(new JsonObject().put("type", "t")).id();

    onContext(finalizers::pass);
    assertThat(Steady.calls).hasValue(1);
    assertThat(FailsOnce.calls).hasValue(1);
    assertThat(finalization(id, "state")).isEqualTo("PENDING");
    assertThat(finalization(id, "array_to_string(steps_done, ',')")).isEqualTo("java:" + Steady.class.getName());

    dueNow();
    onContext(finalizers::pass);

    assertThat(Steady.calls).hasValue(1);
    assertThat(FailsOnce.calls).hasValue(2);
    assertThat(finalization(id, "state")).isEqualTo("DONE");
    assertThat(events).hasValue(1);
  }

  @Test
  void theTimeLimitCountsOnlyTheFinalizersOwnRunNotItsWaitForAWorkerThread() throws Exception {
    // Three tasks end at once; each finalizer takes 1.5 s of a 2 s limit, on the one worker thread: the third
    // waits 3 s for it. Counted from the submission, two of the three would time out.
    RunFinalizers finalizers = finalizers(2, new Sleeps(1500));
    List<Long> ids = List.of(finishedTask(new JsonObject().put("type", "t")).id(),
        finishedTask(new JsonObject().put("type", "t")).id(), finishedTask(new JsonObject().put("type", "t")).id());

    onContext(finalizers::pass);

    assertThat(Sleeps.calls).hasValue(3);
    for (long id : ids) {
      assertThat(finalization(id, "state")).isEqualTo("DONE");
      assertThat(finalization(id, "coalesce(last_error, '')")).isEmpty();
    }
  }

  @Test
  void aFinalizerOverItsTimeLimitFailsAndItsThreadIsInterrupted() throws Exception {
    Sleeps sleeper = new Sleeps(20_000);
    RunFinalizers finalizers = finalizers(1, sleeper);
    long id = finishedTask(new JsonObject().put("type", "t")).id();

    onContext(finalizers::pass);

    assertThat(finalization(id, "state")).isEqualTo("PENDING");
    assertThat(finalization(id, "last_error")).contains(Sleeps.class.getName()).contains("did not return within");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sleeper.interrupted);
  }

  @Test
  void aTaskDeletedWhileItsCallbackBacksOffIsStillFinalizedWithWhatItWas() throws Exception {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    String url = receiver(received, 1); // answers 500 once, then 200
    RunFinalizers finalizers = finalizers(5, new Steady());
    JsonObject data = new JsonObject().put("s", "kept \0 as json keeps it");
    long id = finishedTask(new JsonObject().put("type", "t").put("finalizeUrl", url).put("data", data)).id();

    onContext(finalizers::pass);
    assertThat(received).hasSize(1);
    assertThat(finalization(id, "state")).isEqualTo("PENDING");

    store.changeTasks().delete(id).await();
    assertThat(finalization(id, "task_row IS NOT NULL")).isEqualTo("true");
    dueNow();
    onContext(finalizers::pass);

    assertThat(received).hasSize(2);
    JsonObject task = received.get(1);
    assertThat(task.getLong("id")).isEqualTo(id);
    assertThat(task.getString("state")).isEqualTo("DONE");
    assertThat(task.getString("resultData")).isEqualTo("result");
    assertThat(task.getJsonObject("data")).isEqualTo(data);
    assertThat(Steady.calls).hasValue(1);
    assertThat(count("SELECT count(*) FROM taskhub.finalization WHERE task_id = " + id)).isZero(); // done: gone with it
  }

  @Test
  void aLiveTaskDeletedIsCancelledAndThatEndingIsFinalized() throws Exception {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    String url = receiver(received, 0);
    RunFinalizers finalizers = finalizers(5);
    long id = register(new JsonObject().put("type", "waits").put("finalizeUrl", url)).id();

    store.changeTasks().delete(id).await();
    onContext(finalizers::pass);

    assertThat(received).hasSize(1);
    assertThat(received.get(0).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void finishedFinalizationsGoWithTheirTask() throws Exception {
    RunFinalizers finalizers = finalizers(5);
    long id = finishedTask(new JsonObject().put("type", "t")).id();
    onContext(finalizers::pass);
    assertThat(finalization(id, "state")).isEqualTo("DONE");

    store.changeTasks().delete(id).await();

    assertThat(count("SELECT count(*) FROM taskhub.finalization WHERE task_id = " + id)).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private RunFinalizers finalizers(int timeoutSeconds, Finalizer... finalizers) throws Exception {
    return onContext(() -> Future.succeededFuture(new RunFinalizers(vertx, store.finalizations(),
        new NodeSettings.Finalizers(null, 10, timeoutSeconds, List.of()), List.of(finalizers))));
  }

  private <T> T onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(x -> action.get().onComplete(promise));
    return promise.future().await();
  }

  private Task register(JsonObject spec) {
    return store.registerTasks().register(List.of(TaskSpec.fromJson(spec, 1 << 20))).await().get(0);
  }

  /** A task of a type some hub finalizes (so its ending is recorded), run to its end. */
  private Task finishedTask(JsonObject spec) {
    store.finalizations().registerTypes(java.util.Set.of(spec.getString("type"))).await();
    register(spec);
    Claim claim = store.claimTask().claim(new ClaimRequest("agent-1", "node-1", List.of(spec.getString("type"))), 30).await();
    return store.completeAttempt().complete(new CompletionReport(claim.task().id(), claim.leaseToken(), true, 0,
        "result", null, null, null, null)).await().task();
  }

  /** A finalizeUrl receiver: answers 500 to the first {@code failures} calls, 200 after; keeps every body. */
  private String receiver(List<JsonObject> received, int failures) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(body.toJsonObject());
      request.response().setStatusCode(received.size() <= failures ? 500 : 200).end();
    })).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + server.actualPort() + "/finalized";
  }

  private void dueNow() throws Exception {
    database.execute("UPDATE taskhub.finalization SET run_at = now()");
  }

  /** One column (any SQL expression, as text) of the finalization row of task {@code id}. */
  private String finalization(long id, String column) {
    return String.valueOf(sql.query("SELECT (" + column + ")::text FROM taskhub.finalization WHERE task_id = " + id)
        .execute().await().iterator().next().getValue(0));
  }

  private long count(String query) {
    return sql.query(query).execute().await().iterator().next().getLong(0);
  }

  // ------------------------------------------------------------------ finalizers

  static final class Steady implements Finalizer {
    static final AtomicInteger calls = new AtomicInteger();

    @Override
    public Set<String> types() {
      return Set.of("*");
    }

    @Override
    public void onFinished(Task task) {
      calls.incrementAndGet();
    }
  }

  static final class FailsOnce implements Finalizer {
    static final AtomicInteger calls = new AtomicInteger();

    @Override
    public Set<String> types() {
      return Set.of("*");
    }

    @Override
    public void onFinished(Task task) {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("the mail server is away");
      }
    }
  }

  static final class Sleeps implements Finalizer {
    static final AtomicInteger calls = new AtomicInteger();
    private final long millis;
    volatile boolean interrupted;

    Sleeps(long millis) {
      this.millis = millis;
    }

    @Override
    public Set<String> types() {
      return Set.of("*");
    }

    @Override
    public void onFinished(Task task) {
      calls.incrementAndGet();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        interrupted = true;
        throw new IllegalStateException("interrupted");
      }
    }
  }
}
