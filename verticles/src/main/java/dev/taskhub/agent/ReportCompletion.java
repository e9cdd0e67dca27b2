package dev.taskhub.agent;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * Tells a hub how an attempt ended, retrying every second while no hub answers, until the lease would have run out
 * (by then a hub releases the task, and a late report would be refused). A CONFLICT (cancelled or released meanwhile)
 * and the agent stopping end it at once. Giving up costs a rerun of the task, never a wrong record: the lease token
 * guards the completion. It never fails: the outcome is logged and the agent moves on.
 */
final class ReportCompletion {
  private static final Logger log = LoggerFactory.getLogger(AgentVerticle.class); // one logger for the agent's lines
  private static final long RETRY_MS = 1000;

  private final Vertx vertx;
  private final Attempt.Terms terms;
  private final BooleanSupplier stopped;

  ReportCompletion(Vertx vertx, Attempt.Terms terms, BooleanSupplier stopped) {
    this.vertx = vertx;
    this.terms = terms;
    this.stopped = stopped;
  }

  /** Completes when the hub recorded the report, or when it is clear that it never will. */
  Future<Void> send(CompletionReport report) {
    long deadline = System.nanoTime() + terms.lease().leaseNanos();
    return request(report, deadline).transform(ar -> {
      if (ar.failed() && isConflict(ar.cause())) {
        log.info("{} ended task {} but the hub no longer holds it for this agent (cancelled or released): nothing recorded",
            terms.agentId(), report.id());
      } else if (ar.failed()) {
        log.warn("{} could not report the end of task {}: {} (its lease will expire and it will run again)",
            terms.agentId(), report.id(), ar.cause().getMessage());
      }
      return Future.<Void>succeededFuture();
    });
  }

  private Future<Void> request(CompletionReport report, long deadlineNanos) {
    Promise<Void> done = Promise.promise();
    vertx.eventBus().<JsonObject>request(Addresses.COMPLETE, report.toJson(), terms.toHub())
        .onSuccess(reply -> done.complete())
        .onFailure(e -> {
          if (isConflict(e) || System.nanoTime() > deadlineNanos || stopped.getAsBoolean()) {
            done.fail(e);
          } else {
            vertx.setTimer(RETRY_MS, id -> request(report, deadlineNanos).onComplete(done));
          }
        });
    return done.future();
  }

  /** The hub's answer to a report with a lease token that is no longer the task's. */
  static boolean isConflict(Throwable e) {
    return e instanceof ReplyException r && r.failureCode() == Failure.CONFLICT.code;
  }
}
