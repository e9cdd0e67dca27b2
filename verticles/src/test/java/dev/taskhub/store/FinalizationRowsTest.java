package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.TaskState;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which endings the database records for finalization (0007.sql), and that each ending is recorded on its own. */
class FinalizationRowsTest extends StoreTest {

  @Test
  void anEndingNothingFinalizesWritesNoRowButOneWithAUrlOrAFinalizedTypeDoes() throws Exception {
    store.finalizations().registerTypes(Set.of("finalized")).await();
    long plain = finish(new JsonObject().put("type", "t"));
    long withUrl = finish(new JsonObject().put("type", "t").put("finalizeUrl", "http://127.0.0.1:9/done"));
    long ofFinalizedType = finish(new JsonObject().put("type", "finalized"));
    long cancelled = register(new JsonObject().put("type", "t")).id();
    store.changeTasks().apply(cancelled, TaskState.Action.CANCEL).await();

    assertThat(rows(plain)).isZero();
    assertThat(rows(withUrl)).isOne();
    assertThat(rows(ofFinalizedType)).isOne();
    assertThat(rows(cancelled)).as("an ending that was not the task's own run").isOne();
  }

  /** A retry resets attempts: the second ending once met the first's row and was never finalized. */
  @Test
  void everyEndingOfARetriedTaskIsFinalizedWithTheTaskAsItEnded() throws Exception {
    long id = finish(new JsonObject().put("type", "t").put("finalizeUrl", "http://127.0.0.1:9/done"));
    store.changeTasks().apply(id, TaskState.Action.RETRY).await();
    Claim again = claim("agent-2");
    store.completeAttempt().complete(new CompletionReport(id, again.leaseToken(), false, 3, null,
        new JsonObject().put("message", "second"), null, null, null)).await();

    List<FinalizationStore.Pending> pending = store.finalizations().claim(10, 30).await();

    assertThat(pending).hasSize(2);
    assertThat(pending).extracting(p -> p.task().state()).containsExactlyInAnyOrder(TaskState.DONE, TaskState.ERROR);
    assertThat(pending).extracting(p -> p.task().resultCode()).containsExactlyInAnyOrder(0, 3);
  }

  private long finish(JsonObject spec) {
    long id = register(spec).id();
    Claim claim = claim("agent-1", spec.getString("type"));
    store.completeAttempt().complete(new CompletionReport(id, claim.leaseToken(), true, 0, null, null, null, null, null)).await();
    return id;
  }

  private long rows(long id) throws Exception {
    TestDatabase.execute(url, "SELECT 1"); // the trigger wrote in the completion's own transaction: nothing to wait for
    return store.finalizations().countFor(id).await();
  }
}
