package dev.taskhub.hub;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import dev.taskhub.hub.HubMetrics.ReleaseCause;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the hub does once per task transition besides its SQL: one INFO line (task id, type, attempt, from -> to,
 * node, a duration) and the counts behind {@code /metrics} and {@code /api/stats}. Each handler calls one method here
 * after its statement succeeded; each is a few increments and, with INFO on, one log event.
 */
final class Transitions {
  private static final Logger log = LoggerFactory.getLogger("dev.taskhub.transitions");

  private final HubMetrics metrics;
  private Consumer<Task> leftRunning = t -> { };

  Transitions(HubMetrics metrics) {
    this.metrics = metrics;
  }

  /** Told of every task that left RUNNING here (ended, released, cancelled): a slot of its type freed. */
  void onLeftRunning(Consumer<Task> leftRunning) {
    this.leftRunning = leftRunning;
  }

  /** New tasks: READY, WAITING for their dependencies, or RUNNING: handed to a waiting agent by the registration. */
  void registered(List<Task> tasks) {
    for (Task t : tasks) {
      metrics.counts().add(t.type(), t.priority(), t.state(), 1);
      if (t.state() == TaskState.RUNNING) {
        metrics.claimed();
        log.info("task {} ({}) attempt {}: registered RUNNING, priority {}, handed to waiting agent {} on node {}",
            t.id(), t.type(), t.attempts(), t.priority(), t.agent(), t.node());
      } else if (log.isInfoEnabled()) {
        log.info("task {} ({}) attempt {}: registered {}, priority {}", t.id(), t.type(), t.attempts(), t.state(), t.priority());
      }
    }
  }

  void claimed(Task t) {
    metrics.claimed();
    metrics.counts().move(t.type(), t.priority(), TaskState.READY, TaskState.RUNNING);
    if (log.isInfoEnabled()) {
      log.info("task {} ({}) attempt {}: READY -> RUNNING, node {}, agent {}, queued {} ms", t.id(), t.type(), t.attempts(),
          t.node(), t.agent(), millis(t.runAt() == null || t.runAt().isBefore(t.createdAt()) ? t.createdAt() : t.runAt(), t.startedAt()));
    }
  }

  /** A batch of claims was answered: those without a task (null) are counted. */
  void claimedNothing(List<?> claims) {
    int empty = 0;
    for (Object claim : claims) {
      if (claim == null) {
        empty++;
      }
    }
    if (empty > 0) {
      metrics.claimedNothing(empty);
    }
  }

  /** An agent's completion was recorded: the task is DONE, ERROR, CANCELLED, or READY for another attempt. */
  void ended(Task t, Integer exitCode) {
    long ran = millis(t.startedAt(), t.finishedAt());
    metrics.completed(t.type(), t.state(), ran);
    metrics.counts().move(t.type(), t.priority(), TaskState.RUNNING, t.state());
    leftRunning.accept(t);
    if (log.isInfoEnabled()) {
      log.info("task {} ({}) attempt {}: RUNNING -> {}, node {}, ran {} ms, exit code {}", t.id(), t.type(), t.attempts(),
          t.state(), t.node(), ran, exitCode);
    }
  }

  /** RUNNING tasks given back to the queue (READY), and why; {@code detail} says it for the log. */
  void released(List<Task> tasks, ReleaseCause cause, String detail) {
    for (Task t : tasks) {
      metrics.released(cause);
      metrics.counts().move(t.type(), t.priority(), TaskState.RUNNING, t.state());
      leftRunning.accept(t);
      log.info("task {} ({}) attempt {}: RUNNING -> {}, released ({}): {}, ran {} ms", t.id(), t.type(), t.attempts(),
          t.state(), cause, detail, millis(t.startedAt(), null));
    }
  }

  /** A user's action (suspend, resume, cancel, retry). */
  void changed(Task t, TaskState from, String action) {
    metrics.counts().move(t.type(), t.priority(), from, t.state());
    if (from == TaskState.RUNNING) {
      leftRunning.accept(t);
    }
    log.info("task {} ({}) attempt {}: {} -> {}, {} on request", t.id(), t.type(), t.attempts(), from, t.state(), action);
  }

  /** The priority moved; the counts by priority follow at the next reconciliation (the old one is not returned). */
  void reprioritized(Task t) {
    log.info("task {} ({}) attempt {}: {}, priority changed to {}", t.id(), t.type(), t.attempts(), t.state(), t.priority());
  }

  void deleted(Task t) {
    metrics.counts().add(t.type(), t.priority(), t.state(), -1);
    log.info("task {} ({}) attempt {}: {} -> deleted", t.id(), t.type(), t.attempts(), t.state());
  }

  /**
   * An agent's report or completion that the hub refused because the lease is no longer that agent's (the task was
   * released or cancelled meanwhile): the agent stops its run. Counted as a release with cause {@code stale}.
   */
  <T> Future<T> watchStale(Future<T> answer) {
    return answer.onFailure(e -> {
      if (e instanceof TaskhubException refusal && refusal.failure() == Failure.CONFLICT) {
        metrics.released(ReleaseCause.stale);
      }
    });
  }

  private static long millis(Instant from, Instant to) {
    if (from == null) {
      return -1;
    }
    return (to == null ? System.currentTimeMillis() : to.toEpochMilli()) - from.toEpochMilli();
  }
}
