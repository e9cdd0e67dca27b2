package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Task;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReadTasksTest extends StoreTest {

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
      ReadTasks.Page page = store.readTasks().list(null, "t", null, after, 10).await();
      page.tasks().forEach(t -> assertThat(seen.add(t.id())).isTrue());
      after = page.next();
      pages++;
    } while (after != null);

    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);
    assertThat(store.readTasks().list(null, null, "even", null, 100).await().tasks()).hasSize(13);
  }

  @Test
  void aListCarriesAtMostFourKibOfEachResultAndErrorMarkedTruncatedAndTheSingleReadCarriesAll() {
    String result = "é".repeat(300_000);        // 600,000 bytes of UTF-8
    JsonObject error = new JsonObject().put("type", "Big").put("message", "m".repeat(20_000)).put("stackTrace", "at x");
    long big = register(new JsonObject().put("type", "t")).id();
    Claim claim = claim("agent-1");
    store.completeAttempt().complete(new CompletionReport(big, claim.leaseToken(), false, 1, result, error, null, null, null)).await();
    long small = register(new JsonObject().put("type", "t")).id();
    Claim other = claim("agent-1");
    store.completeAttempt().complete(new CompletionReport(small, other.leaseToken(), true, 0, "fine", null, null, null, null)).await();

    JsonObject page = store.readTasks().list(null, null, null, null, 10).await().toJson();

    JsonObject listedBig = task(page, big);
    assertThat(listedBig.getBoolean("resultDataTruncated")).isTrue();
    assertThat(listedBig.getString("resultData").getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(result).startsWith(listedBig.getString("resultData"));
    assertThat(listedBig.getBoolean("errorTruncated")).isTrue();
    assertThat(listedBig.getJsonObject("error").getString("type")).isEqualTo("Big");
    assertThat(listedBig.getJsonObject("error").encode().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(page.encode().length()).isLessThan(20_000);
    JsonObject listedSmall = task(page, small);
    assertThat(listedSmall.getBoolean("resultDataTruncated")).isFalse();
    assertThat(listedSmall.getBoolean("errorTruncated")).isFalse();
    assertThat(listedSmall.getString("resultData")).isEqualTo("fine");

    Task whole = store.readTasks().get(big).await();
    assertThat(whole.resultData()).isEqualTo(result);
    assertThat(whole.error()).isEqualTo(error);
  }

  @Test
  void aPrefixNeverCutsACharacterInHalf() {
    assertThat(TaskRows.prefix("aé€😀", 1)).isEqualTo("a");
    assertThat(TaskRows.prefix("aé€😀", 2)).isEqualTo("a");
    assertThat(TaskRows.prefix("aé€😀", 3)).isEqualTo("aé");
    assertThat(TaskRows.prefix("aé€😀", 9)).isEqualTo("aé€");
    assertThat(TaskRows.prefix("aé€😀", 10)).isEqualTo("aé€😀");
  }

  private static JsonObject task(JsonObject page, long id) {
    return page.getJsonArray("tasks").stream().map(JsonObject.class::cast).filter(t -> t.getLong("id") == id)
        .findFirst().orElseThrow();
  }
}
