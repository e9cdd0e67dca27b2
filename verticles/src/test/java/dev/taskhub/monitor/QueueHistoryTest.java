package dev.taskhub.monitor;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class QueueHistoryTest {
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aPointHoldsTheRatesSinceThePreviousOneAndTheLatestDepth() {
    QueueHistory history = new QueueHistory(10, t0);
    for (int i = 0; i < 4; i++) {
      history.taskStarted();
    }
    history.taskFinished();
    assertThat(history.sample(t0.plusSeconds(2)).getDouble("ready")).as("no stats yet").isNull();

    history.depth(new JsonObject().put("READY", 7).put("RUNNING", 2));
    history.taskFinished();
    JsonObject point = history.sample(t0.plusSeconds(4));

    assertThat(point.getDouble("t")).isEqualTo(t0.plusSeconds(4).getEpochSecond());
    assertThat(point.getDouble("started")).isZero();
    assertThat(point.getDouble("finished")).isEqualTo(0.5);
    assertThat(point.getLong("ready")).isEqualTo(7);
    assertThat(point.getLong("running")).isEqualTo(2);
    assertThat(point.getLong("waiting")).isZero();
    assertThat(history.points().getJsonObject(0).getDouble("started")).isEqualTo(2.0);
  }

  @Test
  void onlyTheLastPointsAreKept() {
    QueueHistory history = new QueueHistory(3, t0);
    for (int i = 1; i <= 5; i++) {
      history.sample(t0.plusSeconds(i));
    }
    assertThat(history.points().stream().map(p -> ((JsonObject) p).getDouble("t")).toList())
        .containsExactly((double) t0.getEpochSecond() + 3, (double) t0.getEpochSecond() + 4, (double) t0.getEpochSecond() + 5);
  }
}
