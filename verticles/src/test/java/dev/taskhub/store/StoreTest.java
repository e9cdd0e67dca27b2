package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

/** What the tests of the store's steps share: a {@link Store} on a fresh, migrated database, and shorthands. */
@Timeout(60)
@ExtendWith(TestDatabase.class)
abstract class StoreTest {
  Vertx vertx;
  String url;
  Store store;

  @BeforeEach
  void open(TestDatabase.Fresh database) {
    vertx = Vertx.vertx();
    url = database.url();
    store = Store.open(vertx, url, 8, 10_000);
    store.migrate().await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  Task register(JsonObject spec) {
    return store.registerTasks().register(List.of(TaskSpec.fromJson(spec, 1 << 20))).await().get(0);
  }

  /** A claim by {@code agent} for tasks of type "t" (or of {@code types}), with a 30-second lease. */
  Claim claim(String agent, String... types) {
    List<String> wanted = types.length == 0 ? List.of("t") : List.of(types);
    return store.claimTask().claim(new ClaimRequest(agent, "node-1", wanted), 30).await();
  }

  CompletionReport succeeded(Claim claim) {
    return new CompletionReport(claim.task().id(), claim.leaseToken(), true, 0, null, null, null, null, null);
  }
}
