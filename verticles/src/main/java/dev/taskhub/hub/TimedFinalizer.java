package dev.taskhub.hub;

import dev.taskhub.api.Finalizer;
import dev.taskhub.api.Task;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeoutException;

/**
 * One run of one Java {@link Finalizer} on a worker thread, with a time limit that starts when a worker thread picks it
 * up: the time spent waiting for a worker (the pool is shared, and a burst of endings queues there) is not the
 * finalizer's. At the limit the run fails and its thread is interrupted (a finalizer blocked in interruptible I/O
 * stops; one that ignores interrupts keeps its thread until it returns, as before). The outcome is delivered on
 * {@code context}, the hub's.
 */
final class TimedFinalizer {
  private final Vertx vertx;
  private final Context context;
  private final Finalizer finalizer;
  private final int timeoutSeconds;
  private final Promise<Void> result = Promise.promise();
  private final Object lock = new Object();
  private boolean over;   // guarded by lock: the run returned or timed out, whichever came first
  private long timer = -1; // on the context only

  private TimedFinalizer(Vertx vertx, Context context, Finalizer finalizer, int timeoutSeconds) {
    this.vertx = vertx;
    this.context = context;
    this.finalizer = finalizer;
    this.timeoutSeconds = timeoutSeconds;
  }

  static Future<Void> run(Vertx vertx, Context context, Finalizer finalizer, Task task, int timeoutSeconds) {
    TimedFinalizer run = new TimedFinalizer(vertx, context, finalizer, timeoutSeconds);
    vertx.executeBlocking(() -> {
      run.onWorker(task);
      return null;
    }, false);
    return run.result.future();
  }

  private void onWorker(Task task) {
    Thread worker = Thread.currentThread();
    context.runOnContext(x -> timer = vertx.setTimer(timeoutSeconds * 1000L, id -> timedOut(worker)));
    Throwable failure = null;
    try {
      finalizer.onFinished(task);
    } catch (Throwable e) {
      failure = e;
    }
    synchronized (lock) {
      if (over) {
        Thread.interrupted(); // the time limit struck first and interrupted us: this pool thread must not keep it
        return;
      }
      over = true;
    }
    Throwable failed = failure;
    context.runOnContext(x -> { // after the timer was set: both were queued on the context in this order
      vertx.cancelTimer(timer);
      if (failed == null) {
        result.complete();
      } else {
        result.fail(failed);
      }
    });
  }

  private void timedOut(Thread worker) {
    synchronized (lock) {
      if (over) {
        return;
      }
      over = true;
      worker.interrupt();
    }
    result.fail(new TimeoutException(finalizer.getClass().getName() + " did not return within finalizer.timeoutSeconds ("
        + timeoutSeconds + " s): its thread was interrupted"));
  }
}
