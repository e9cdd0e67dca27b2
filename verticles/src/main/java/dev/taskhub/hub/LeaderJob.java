package dev.taskhub.hub;

import io.vertx.core.Future;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One of the maintenance leader's periodic jobs: a pass runs only on the leading hub, and never while the previous one
 * still waits for the database, so a slow server gets no pile of passes. Used from the hub's event loop only.
 */
final class LeaderJob {
  private final BooleanSupplier leading;
  private final Supplier<Future<?>> pass;
  private boolean running;

  LeaderJob(BooleanSupplier leading, Supplier<Future<?>> pass) {
    this.leading = leading;
    this.pass = pass;
  }

  /** Runs a pass now, unless another hub leads or the last pass has not ended. */
  void run() {
    if (running || !leading.getAsBoolean()) {
      return;
    }
    running = true;
    Future<?> passing;
    try {
      passing = pass.get();
    } catch (RuntimeException e) {
      passing = Future.failedFuture(e); // a bug in a pass must not stop the job for good
    }
    passing.onComplete(x -> running = false);
  }
}
