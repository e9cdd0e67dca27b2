package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's guarded statements against a real PostgreSQL. */
@Timeout(60)
class TaskStoreTest {
  Vertx vertx;
  Pool pool;
  TaskStore store;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, PostgresExtension.freshDatabase(), 8);
    Migrations.apply(vertx, pool).await();
    store = new TaskStore(pool, 10_000);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Task register(JsonObject spec) {
    return store.register(List.of(TaskSpec.fromJson(spec, 1 << 20))).await().get(0);
  }

  private Claim claim(String agent) {
    return store.claim(new ClaimRequest(agent, "node-1", List.of("t")), 30).await();
  }

  @Test
  void concurrentClaimersGetDisjointTasksAndEveryTaskOnce() {
    JsonArray specs = new JsonArray();
    for (int i = 0; i < 200; i++) {
      specs.add(new JsonObject().put("type", "t"));
    }
    store.register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 1000)).await();

    List<Future<Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      claims.add(store.claim(new ClaimRequest("agent-" + i, "node-1", List.of("t")), 30));
    }
    Future.join(claims).await();

    List<Long> ids = claims.stream().map(Future::result).filter(Objects::nonNull).map(c -> c.task().id()).toList();
    assertThat(ids).hasSize(200).doesNotHaveDuplicates();
  }

  @Test
  void anAgentGetsTheMostUrgentTaskAmongTheTypesItCanRunOnly() {
    long otherUrgent = register(new JsonObject().put("type", "other").put("priority", "Immediately")).id();
    long normal = register(new JsonObject().put("type", "t")).id();
    long important = register(new JsonObject().put("type", "t").put("priority", "Important")).id();
    long third = register(new JsonObject().put("type", "third").put("priority", "Important")).id();

    assertThat(claim("agent-1").task().id()).isEqualTo(important);
    assertThat(store.claim(new ClaimRequest("agent-2", "n", List.of("t", "third", "other")), 30).await().task().id()).isEqualTo(otherUrgent);
    assertThat(store.claim(new ClaimRequest("agent-3", "n", List.of("t", "third")), 30).await().task().id()).isEqualTo(third);
    assertThat(claim("agent-4").task().id()).isEqualTo(normal);
    assertThat(claim("agent-5")).isNull();
  }

  @Test
  void onlyTheCurrentLeaseHolderCanReportOrComplete() {
    long id = register(new JsonObject().put("type", "t")).id();
    Claim claim = claim("agent-1");
    String stale = java.util.UUID.randomUUID().toString();

    assertThatThrownBy(() -> store.report(ProgressReport.renewal(id, stale), 30).await())
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.CONFLICT));
    assertThatThrownBy(() -> store.complete(new CompletionReport(id, stale, true, 0, "forged", null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);

    Task done = store.complete(new CompletionReport(id, claim.leaseToken(), true, 0, "real", null, null, null, null)).await().task();
    assertThat(done.state()).isEqualTo(TaskState.DONE);
    assertThat(done.resultData()).isEqualTo("real");
    // A second completion with the same token is refused too: the lease ended with the first.
    assertThatThrownBy(() -> store.complete(new CompletionReport(id, claim.leaseToken(), false, 1, null, null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);
  }

  @Test
  void anExpiredLeaseIsReleasedAndTheOldHolderIsFencedOff() {
    long id = register(new JsonObject().put("type", "t")).id();
    Claim first = store.claim(new ClaimRequest("agent-1", "node-1", List.of("t")), 0).await();

    List<Task> released = store.releaseExpiredLeases().await();
    assertThat(released).extracting(Task::id).containsExactly(id);
    Claim second = claim("agent-2");

    assertThat(second.task().id()).isEqualTo(id);
    assertThat(second.task().attempts()).isEqualTo(2);
    assertThatThrownBy(() -> store.complete(new CompletionReport(id, first.leaseToken(), true, 0, "stale", null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);
  }

  @Test
  void aSecondLiveTaskWithTheSameKeyIsNotCreatedButTheFirstIsReturned() {
    Task first = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    Task again = register(new JsonObject().put("type", "t").put("key", "invoice-42"));

    assertThat(again.id()).isEqualTo(first.id());
    Claim claim = claim("agent-1");
    store.complete(new CompletionReport(claim.task().id(), claim.leaseToken(), true, 0, null, null, null, null, null)).await();
    Task afterTheFirstEnded = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    assertThat(afterTheFirstEnded.id()).isNotEqualTo(first.id());
  }

  @Test
  void aDependentWaitsForItsPredecessorsAndRunsOnlyIfTheySucceeded() {
    long a = register(new JsonObject().put("type", "t")).id();
    long b = register(new JsonObject().put("type", "t")).id();
    Task onSuccess = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a).add(b)));
    Task always = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a).add(b)).put("runIf", "always"));
    assertThat(onSuccess.state()).isEqualTo(TaskState.WAITING);

    Claim ca = claim("agent-1");
    Claim cb = claim("agent-2");
    assertThat(Set.of(ca.task().id(), cb.task().id())).isEqualTo(Set.of(a, b));
    TaskStore.Completed first = store.complete(new CompletionReport(ca.task().id(), ca.leaseToken(), true, 0, null, null, null, null, null)).await();
    assertThat(first.readyTypes()).isEmpty();
    assertThat(store.get(onSuccess.id()).await().state()).isEqualTo(TaskState.WAITING);

    TaskStore.Completed second = store.complete(new CompletionReport(cb.task().id(), cb.leaseToken(), false, 1, null,
        new JsonObject().put("message", "failed"), null, null, null)).await();

    assertThat(second.readyTypes()).containsExactly("t");
    Task cancelled = store.get(onSuccess.id()).await();
    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(cancelled.error().getString("type")).isEqualTo("DependencyFailed");
    assertThat(store.get(always.id()).await().state()).isEqualTo(TaskState.READY);
  }

  @Test
  void aTaskWhosePredecessorsAlreadyEndedIsReadyAtOnce() {
    long a = register(new JsonObject().put("type", "t")).id();
    Claim ca = claim("agent-1");
    store.complete(new CompletionReport(a, ca.leaseToken(), true, 0, null, null, null, null, null)).await();

    Task dependent = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a)));

    assertThat(dependent.state()).isEqualTo(TaskState.READY);
  }

  @Test
  void aFailedAttemptIsRetriedLaterWhileAttemptsRemain() {
    long id = register(new JsonObject().put("type", "t").put("maxAttempts", 3)).id();
    Claim c = claim("agent-1");

    Task retried = store.complete(new CompletionReport(id, c.leaseToken(), false, 1, null, null, null, null, null)).await().task();

    assertThat(retried.state()).isEqualTo(TaskState.READY);
    assertThat(retried.runAt()).isAfter(retried.startedAt().plusSeconds(2)); // e^1 s of backoff
    assertThat(claim("agent-2")).as("not claimable during its backoff").isNull();
  }

  @Test
  void aPageOfTasksAndItsCursorWalkTheWholeListOnce() {
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      ids.add(register(new JsonObject().put("type", "t").put("tag", i % 2 == 0 ? "even" : "odd")).id());
    }
    Set<Long> seen = new HashSet<>();
    Long after = null;
    int pages = 0;
    do {
      TaskStore.Page page = store.list(null, "t", null, after, 10).await();
      page.tasks().forEach(t -> assertThat(seen.add(t.id())).isTrue());
      after = page.next();
      pages++;
    } while (after != null);

    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);
    assertThat(store.list(null, null, "even", null, 100).await().tasks()).hasSize(13);
  }
}
