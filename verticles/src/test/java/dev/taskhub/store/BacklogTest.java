package dev.taskhub.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogTest extends StoreTest {

  @Test
  void aBacklogIsReadyButItsTypeIsNotClaimedByOthers() {
    Backlog.insertReady(vertx, url, "backlog", 500).await();

    assertThat(store.readTasks().stats().await().getJsonObject("byType").getJsonObject("backlog").getLong("READY")).isEqualTo(500);
    assertThat(claim("agent-1", "t")).isNull();
    assertThat(claim("agent-2", "backlog").task().type()).isEqualTo("backlog");
  }
}
