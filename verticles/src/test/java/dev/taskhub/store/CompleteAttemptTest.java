package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompleteAttemptTest extends StoreTest {

  @Test
  void onlyTheCurrentLeaseHolderCanReportOrComplete() {
    long id = register(new JsonObject().put("type", "t")).id();
    Claim claim = claim("agent-1");
    String stale = UUID.randomUUID().toString();

    assertThatThrownBy(() -> store.reportProgress().report(ProgressReport.renewal(id, stale), 30).await())
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.CONFLICT));
    assertThatThrownBy(() -> store.completeAttempt().complete(new CompletionReport(id, stale, true, 0, "forged", null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);

    Task done = store.completeAttempt().complete(new CompletionReport(id, claim.leaseToken(), true, 0, "real", null, null, null, null)).await().task();
    assertThat(done.state()).isEqualTo(TaskState.DONE);
    assertThat(done.resultData()).isEqualTo("real");
    // A second completion with the same token is refused too: the lease ended with the first.
    assertThatThrownBy(() -> store.completeAttempt().complete(new CompletionReport(id, claim.leaseToken(), false, 1, null, null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);
  }

  @Test
  void aFailedAttemptIsRetriedLaterWhileAttemptsRemain() {
    long id = register(new JsonObject().put("type", "t").put("maxAttempts", 3)).id();
    Claim c = claim("agent-1");

    Task retried = store.completeAttempt().complete(new CompletionReport(id, c.leaseToken(), false, 1, null, null, null, null, null)).await().task();

    assertThat(retried.state()).isEqualTo(TaskState.READY);
    assertThat(retried.runAt()).isAfter(retried.startedAt().plusSeconds(2)); // e^1 s of backoff
    assertThat(claim("agent-2")).as("not claimable during its backoff").isNull();
  }
}
