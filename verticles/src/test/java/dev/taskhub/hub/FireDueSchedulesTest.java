package dev.taskhub.hub;

import dev.taskhub.api.ScheduleSpec;
import dev.taskhub.store.FireSchedules;
import dev.taskhub.store.Store;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub's firing job, its time driven by a clock the test moves: quiet until a tick is due, then one task. */
@Timeout(60)
@ExtendWith(TestDatabase.class)
class FireDueSchedulesTest {
  static final Instant T0 = Instant.parse("2026-01-01T10:30:00Z");

  Vertx vertx;
  Store store;
  final MovableClock clock = new MovableClock(T0);
  final List<FireSchedules.Pass> passes = new ArrayList<>();
  FireDueSchedules job;

  @BeforeEach
  void open(TestDatabase.Fresh database) {
    vertx = Vertx.vertx();
    store = Store.open(vertx, database.url(), 4, 10_000);
    store.migrate().await();
    job = new FireDueSchedules(vertx, store.fireSchedules(), store.readSchedules(), clock, Duration.ofSeconds(5),
        1 << 20, passes::add);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aHubSendsNothingToTheDatabaseUntilATickIsDueThenMakesItsTask() {
    JsonObject hourly = new JsonObject().put("cron", "0 0 * * * *").put("task", new JsonObject().put("type", "t"));
    store.changeSchedules().put(ScheduleSpec.fromJson("hourly", hourly, 1 << 20), T0).await();
    job.run().await(); // learns the next tick: 11:00

    long statements = Store.statementsSent();
    for (int ms = 250; ms < 9_000; ms += 250) { // the job's timer ticks; within 10 s it does not look again
      clock.set(T0.plusMillis(ms));
      job.run().await();
    }
    assertThat(Store.statementsSent()).as("statements while no tick was due").isEqualTo(statements);
    clock.set(Instant.parse("2026-01-01T10:59:59Z"));
    job.run().await(); // looks again (a change may have been missed): one statement
    assertThat(Store.statementsSent()).isEqualTo(statements + 1);
    assertThat(passes).isEmpty();

    clock.set(Instant.parse("2026-01-01T11:00:00.250Z"));
    job.run().await();

    assertThat(passes).hasSize(1);
    assertThat(passes.get(0).fired().get(0).task().scheduledFor()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
    assertThat(passes.get(0).nextDue()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
