package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegisterTasksTest extends StoreTest {

  @Test
  void aSecondLiveTaskWithTheSameKeyIsNotCreatedButTheFirstIsReturned() {
    Task first = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    Task again = register(new JsonObject().put("type", "t").put("key", "invoice-42"));

    assertThat(again.id()).isEqualTo(first.id());
    Claim claim = claim("agent-1");
    store.completeAttempt().complete(succeeded(claim)).await();
    Task afterTheFirstEnded = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    assertThat(afterTheFirstEnded.id()).isNotEqualTo(first.id());
  }

  @Test
  void aTaskWhosePredecessorsAlreadyEndedIsReadyAtOnce() {
    long a = register(new JsonObject().put("type", "t")).id();
    Claim ca = claim("agent-1");
    store.completeAttempt().complete(succeeded(ca)).await();

    Task dependent = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a)));

    assertThat(dependent.state()).isEqualTo(TaskState.READY);
  }

  @Test
  void aBatchAnswersItsTasksInOrderWithDuplicateKeysResolvedToTheLiveTask() {
    Task existing = register(new JsonObject().put("type", "t").put("key", "k1"));
    List<TaskSpec> batch = List.of(
        spec(new JsonObject().put("type", "a")),
        spec(new JsonObject().put("type", "b").put("key", "k1")),   // a live task has it already
        spec(new JsonObject().put("type", "c").put("key", "k2")),
        spec(new JsonObject().put("type", "d").put("key", "k2")),   // the same batch made it a moment ago
        spec(new JsonObject().put("type", "e")));

    List<Task> tasks = store.registerTasks().register(batch).await();

    assertThat(tasks).extracting(Task::type).containsExactly("a", "t", "c", "c", "e");
    assertThat(tasks.get(1).id()).isEqualTo(existing.id());
    assertThat(tasks.get(3).id()).isEqualTo(tasks.get(2).id());
    assertThat(tasks.get(0).id()).isLessThan(tasks.get(2).id()).isLessThan(tasks.get(4).id());
  }

  @Test
  void aBatchIsAllOrNothing() {
    List<TaskSpec> batch = List.of(spec(new JsonObject().put("type", "a")),
        spec(new JsonObject().put("type", "b").put("dependsOn", new JsonArray().add(999_999))));

    assertThatThrownBy(() -> store.registerTasks().register(batch).await()).hasMessageContaining("unknown tasks: [999999]");

    assertThat(store.readTasks().list(null, null, null, null, 10).await().tasks()).isEmpty();
  }

  /**
   * A dependent registered while its predecessor's completion is in flight: the completion has updated the row but not
   * committed. Without a lock the registration read the predecessor as RUNNING and the completion, which settled before
   * the dependent existed, missed it: the dependent stayed WAITING forever.
   */
  @Test
  void aDependentRegisteredWhileItsPredecessorCompletesIsSettled() throws Exception {
    long predecessor = register(new JsonObject().put("type", "t")).id();
    Claim claim = claim("agent-1");
    Pool side = Database.pool(vertx, url, 1);
    SqlConnection completing = side.getConnection().await();
    completing.query("BEGIN").execute().await();
    completing.preparedQuery("UPDATE taskhub.task SET state = 'DONE', finished_at = now(), lease_token = NULL WHERE id = $1")
        .execute(Tuple.of(predecessor)).await();

    Future<List<Task>> registering = store.registerTasks().register(List.of(spec(new JsonObject().put("type", "t")
        .put("dependsOn", new JsonArray().add(predecessor)))));
    Thread.sleep(300); // the registration reaches the predecessor's row and waits for the completion
    completing.query("COMMIT").execute().await();
    Task dependent = registering.await().get(0);

    assertThat(claim.task().id()).isEqualTo(predecessor);
    assertThat(dependent.state()).isEqualTo(TaskState.READY);
    completing.close().await();
    side.close().await();
  }

  private static TaskSpec spec(JsonObject json) {
    return TaskSpec.fromJson(json, 1 << 20);
  }
}
