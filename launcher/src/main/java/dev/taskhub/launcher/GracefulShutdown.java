package dev.taskhub.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a {@code taskhub node} process stops: SIGTERM (also Ctrl-C's SIGINT, and SIGHUP when its terminal goes away)
 * drains the node ({@link Node#drain}), then closes it in order ({@link Node#close}), and the JVM exits 0. A second
 * signal while it drains ends the wait at once: what still runs is killed and released for another node.
 * <p>
 * The signals are caught here rather than left to a JVM shutdown hook for two reasons: a second SIGTERM never reaches
 * code while hooks run (the JVM is already exiting), and the other hooks (logging, the embedded PostgreSQL's) would run
 * at the same time as the drain, which needs both to the end. Another way out of the JVM (System.exit, a signal the
 * JVM was told to leave alone) still drains, from a hook of its own, but alongside those hooks.
 */
final class GracefulShutdown {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  private final Node node;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final CompletableFuture<Void> enough = new CompletableFuture<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private GracefulShutdown(Node node) {
    this.node = node;
  }

  /** Takes over SIGTERM and SIGINT for this node, and drains it too when the JVM exits another way. */
  static GracefulShutdown install(Node node) {
    GracefulShutdown shutdown = new GracefulShutdown(node);
    for (String name : List.of("TERM", "INT", "HUP")) {
      try {
        Signal.handle(new Signal(name), signal -> shutdown.signalled("SIG" + signal.getName()));
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs): the shutdown hook below still drains, without the second-signal shortcut.
        // (A signal ignored from the start, as under nohup, stays ignored.)
        log.debug("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::onJvmExit, "taskhub-shutdown-hook"));
    return shutdown;
  }

  /** Returns once the node has stopped (drained or not); the caller then exits 0. */
  void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** On the JVM's signal thread: must return at once. */
  private void signalled(String signal) {
    if (begin(signal)) {
      return;
    }
    if (enough.complete(null)) {
      log.warn("{} again while draining: the tasks still running are killed and released for another node now", signal);
    } else {
      log.info("{} again: the node is stopping already", signal);
    }
  }

  private void onJvmExit() {
    begin("the JVM exits");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts draining and stopping on a thread of its own; false when that has begun already. */
  private boolean begin(String why) {
    if (!begun.compareAndSet(false, true)) {
      return false;
    }
    log.info("{}: node {} stops{}", why, node.config().getString("node.id"),
        why.startsWith("SIG") ? " (send the signal again to kill what still runs at once)" : "");
    Thread stopping = new Thread(() -> {
      try {
        node.drain(enough);
      } catch (RuntimeException e) {
        log.warn("draining failed ({}); stopping at once", e.toString());
      } finally {
        node.close();
        log.info("node {} stopped", node.config().getString("node.id"));
        stopped.countDown();
      }
    }, "taskhub-drain");
    stopping.start();
    return true;
  }
}
