package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseTasksTest extends StoreTest {

  @Test
  void anExpiredLeaseIsReleasedAndTheOldHolderIsFencedOff() {
    long id = register(new JsonObject().put("type", "t")).id();
    Claim first = store.claimTask().claim(new ClaimRequest("agent-1", "node-1", List.of("t")), 0).await();

    List<Task> released = store.releaseTasks().expiredLeases().await();
    assertThat(released).extracting(Task::id).containsExactly(id);
    Claim second = claim("agent-2");

    assertThat(second.task().id()).isEqualTo(id);
    assertThat(second.task().attempts()).isEqualTo(2);
    assertThatThrownBy(() -> store.completeAttempt().complete(new CompletionReport(id, first.leaseToken(), true, 0, "stale", null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);
  }
}
