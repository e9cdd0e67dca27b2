package dev.taskhub.store;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

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
}
