package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.store.FireSchedules;
import dev.taskhub.store.ReadSchedules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fires the ticks of schedules whose time has come. It runs on EVERY hub, not only on the maintenance leader: a tick
 * must not wait for a leader that may be paused, and the database alone makes each tick's task once
 * ({@link FireSchedules}). To cost nothing while no tick is due, each hub remembers the earliest next tick and goes to
 * the database only when it has come, when a schedule changed anywhere ({@link Addresses#SCHEDULES_CHANGED}), or every
 * {@value #LOOK_AGAIN_MS} ms in case such news was lost. Time is the injected {@link Clock}'s.
 */
final class FireDueSchedules {
  private static final Logger log = LoggerFactory.getLogger(FireDueSchedules.class);
  private static final int BATCH = 20;
  private static final long LOOK_AGAIN_MS = 10_000;
  private static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final FireSchedules fire;
  private final ReadSchedules read;
  private final Clock clock;
  private final Duration misfire;
  private final int maxDataBytes;
  private final Consumer<FireSchedules.Pass> onFired;
  private Instant nextDue;
  private boolean stale = true;
  private Instant lookedAt = Instant.MIN;
  private boolean running;

  FireDueSchedules(Vertx vertx, FireSchedules fire, ReadSchedules read, Clock clock, Duration misfire, int maxDataBytes,
                   Consumer<FireSchedules.Pass> onFired) {
    this.vertx = vertx;
    this.fire = fire;
    this.read = read;
    this.clock = clock;
    this.misfire = misfire;
    this.maxDataBytes = maxDataBytes;
    this.onFired = onFired;
  }

  void start(long periodMs) {
    vertx.eventBus().consumer(Addresses.SCHEDULES_CHANGED, msg -> stale = true);
    vertx.setPeriodic(periodMs, id -> run());
  }

  /** One look: fires what is due, or learns when the next tick is; does nothing while no tick is due. Done when its pass is. */
  Future<Void> run() {
    Instant now = clock.instant();
    boolean due = nextDue != null && !now.isBefore(nextDue);
    if (running || !(due || stale || now.isAfter(lookedAt.plusMillis(LOOK_AGAIN_MS)))) {
      return Future.succeededFuture();
    }
    running = true;
    stale = false;
    lookedAt = now;
    Future<FireSchedules.Pass> pass = due ? fire.fireDue(now, misfire, BATCH, maxDataBytes)
        : read.nextDue().map(next -> new FireSchedules.Pass(List.of(), List.of(), next));
    return pass
        .onSuccess(done -> {
          nextDue = done.nextDue();
          if (!done.fired().isEmpty()) {
            onFired.accept(done);
          }
        })
        .onFailure(e -> {
          // The database is away, most likely: look again in a second, not at every timer tick.
          nextDue = null;
          lookedAt = clock.instant().minusMillis(LOOK_AGAIN_MS - RETRY_MS);
          log.warn("firing due schedules failed, will try again in a second: {}", e.toString());
        })
        .transform(outcome -> {
          running = false;
          boolean firedSome = outcome.succeeded() && !outcome.result().fired().isEmpty();
          if (firedSome && nextDue != null && !clock.instant().isBefore(nextDue)) {
            return run(); // more due already: many schedules, or one late by more than a tick. (Due but locked by
                          // another hub, which fired nothing here: wait for the timer rather than spin on the row.)
          }
          return Future.succeededFuture();
        });
  }
}
