package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimTaskTest extends StoreTest {

  @Test
  void concurrentClaimersGetDisjointTasksAndEveryTaskOnce() {
    JsonArray specs = new JsonArray();
    for (int i = 0; i < 200; i++) {
      specs.add(new JsonObject().put("type", "t"));
    }
    store.registerTasks().register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 1000)).await();

    List<Future<Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      claims.add(store.claimTask().claim(new ClaimRequest("agent-" + i, "node-1", List.of("t")), 30));
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
    assertThat(claim("agent-2", "t", "third", "other").task().id()).isEqualTo(otherUrgent);
    assertThat(claim("agent-3", "t", "third").task().id()).isEqualTo(third);
    assertThat(claim("agent-4").task().id()).isEqualTo(normal);
    assertThat(claim("agent-5")).isNull();
  }

  @Test
  void oneStatementGivesEachAgentOfABatchItsOwnTaskMostUrgentFirst() {
    long normal = register(new JsonObject().put("type", "t")).id();
    long urgent = register(new JsonObject().put("type", "t").put("priority", "Immediately")).id();
    long unimportant = register(new JsonObject().put("type", "t").put("priority", "Unimportant")).id();
    List<ClaimRequest> agents = List.of(new ClaimRequest("a1", "n1", List.of("t")), new ClaimRequest("a2", "n1", List.of("t")),
        new ClaimRequest("a3", "n2", List.of("t")), new ClaimRequest("a4", "n2", List.of("t")));

    List<Claim> claims = store.claimTask().claim(agents, 30).await();

    assertThat(claims).hasSize(4);
    assertThat(claims.subList(0, 3)).extracting(c -> c.task().id()).containsExactly(urgent, normal, unimportant);
    assertThat(claims.subList(0, 3)).extracting(c -> c.task().agent()).containsExactly("a1", "a2", "a3");
    assertThat(claims.get(2).task().node()).isEqualTo("n2");
    assertThat(claims.get(3)).as("more agents than tasks").isNull();
    assertThat(claims.subList(0, 3)).extracting(Claim::leaseToken).doesNotHaveDuplicates();
  }

  @Test
  void everyAttemptGetsAFenceAboveAllBefore() throws Exception {
    long id = register(new JsonObject().put("type", "t").put("maxAttempts", 3)).id();
    Claim first = claim("agent-1");
    store.completeAttempt().complete(new dev.taskhub.api.CompletionReport(id, first.leaseToken(), false, 1, null,
        new JsonObject().put("message", "again"), null, null, null)).await();
    register(new JsonObject().put("type", "t"));
    TestDatabase.execute(url, "UPDATE taskhub.task SET run_at = now() WHERE id = " + id); // no backoff wait

    Claim other = claim("agent-2");
    Claim second = claim("agent-3");

    assertThat(second.task().id()).isEqualTo(id);
    assertThat(second.task().attempts()).isEqualTo(2);
    assertThat(first.fence()).isPositive();
    assertThat(List.of(first.fence(), other.fence(), second.fence())).doesNotHaveDuplicates();
    assertThat(second.fence()).isGreaterThan(first.fence());
  }
}
