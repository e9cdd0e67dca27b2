package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.LeaseTerms;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.hub.HubMetrics.ReleaseCause;
import dev.taskhub.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The hub's answers to its agents: claims ({@link HandOutClaims}), progress and lease renewals, the end of an attempt,
 * a task given back, a task that can never start. Endings that arrive while a batch is recorded share the next
 * statement ({@link Batcher}), as claims do. Every answer is guarded by the agent's lease token in the store.
 */
final class AgentRequests {
  private final Vertx vertx;
  private final Store store;
  private final LeaseTerms lease;
  private final Replies replies;
  private final Notices notices;
  private final Transitions transitions;
  private final HandOutClaims claims;
  private final Batcher<String, CompletionReport, Task> endings;
  private final TypeLimits limits;

  AgentRequests(Vertx vertx, Store store, LeaseTerms lease, Replies replies, Notices notices, TypeLimits limits) {
    this.vertx = vertx;
    this.store = store;
    this.lease = lease;
    this.replies = replies;
    this.notices = notices;
    this.transitions = notices.transitions();
    this.limits = limits;
    this.claims = new HandOutClaims(vertx, this::claim, store.releaseTasks(), lease.leaseSeconds(), replies, task -> {
      transitions.claimed(task);
      notices.publish(TaskEvent.state(task));
    }, (task, why) -> notices.requeued(List.of(task), ReleaseCause.not_taken, why));
    this.endings = new Batcher<>(report -> "all", (all, reports) -> record(reports), 200);
  }

  /** Where a registration finds a waiting agent and offers it the task it made RUNNING for it. */
  HandOutClaims claims() {
    return claims;
  }

  void register() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.CLAIM, claims::onClaim);
    bus.<JsonObject>consumer(Addresses.REPORT, msg -> replies.answer(msg, body -> transitions.watchStale(report(body))));
    bus.<JsonObject>consumer(Addresses.COMPLETE, msg -> replies.answer(msg, body -> transitions.watchStale(complete(body))));
    bus.<JsonObject>consumer(Addresses.RELEASE, msg -> replies.answer(msg, this::release));
    bus.<JsonObject>consumer(Addresses.REFUSE, msg -> replies.answer(msg, this::refuse));
  }

  /**
   * A batch of claims: in one statement, or, when a type of the batch has a limit on its RUNNING tasks, under that
   * type's lock ({@link dev.taskhub.store.ClaimWithinLimits}). Claims answered with nothing are counted: agents that
   * ask in vain, again and again, would show there.
   */
  private Future<List<Claim>> claim(List<ClaimRequest> requests, int leaseSeconds) {
    Future<List<Claim>> claimed = limits.anyLimited(requests.get(0).types())
        ? store.claimWithinLimits().claim(requests, leaseSeconds)
        : store.claimTask().claim(requests, leaseSeconds);
    return claimed.onSuccess(transitions::claimedNothing);
  }

  private Future<JsonObject> report(JsonObject body) {
    ProgressReport report = ProgressReport.fromJson(body);
    return store.reportProgress().report(report, lease.leaseSeconds()).map(task -> {
      if (report.progress() != null || report.message() != null || report.details() != null) {
        notices.publish(TaskEvent.progress(task));
      }
      return new JsonObject();
    });
  }

  private Future<JsonObject> complete(JsonObject body) {
    CompletionReport report = CompletionReport.fromJson(body);
    return endings.add(report).map(task -> {
      if (task == null) {
        throw Failure.CONFLICT.exception("task " + report.id() + " is not held by this lease any more");
      }
      transitions.ended(task, report.exitCode());
      notices.publish(TaskEvent.state(task));
      return new JsonObject();
    });
  }

  private Future<List<Task>> record(List<CompletionReport> reports) {
    return store.completeAttempt().complete(reports).map(batch -> {
      notices.announce(batch.readyTypes());
      notices.finished(batch.tasks().stream().filter(t -> t != null && t.state().isFinal()).toList());
      return batch.tasks();
    });
  }

  /** An agent that stops gives its task back: READY at once, the attempt not counted. */
  private Future<JsonObject> release(JsonObject body) {
    String reason = body.getString("reason", "released by its agent");
    return store.releaseTasks().byAgent(HubVerticle.id(body), body.getString("leaseToken"), reason).map(task -> {
      notices.requeued(List.of(task), ReleaseCause.shutdown, reason);
      return task.toJson();
    });
  }

  /** An agent cannot start a task it claimed, and never will: it ends ERROR without retries. */
  private Future<JsonObject> refuse(JsonObject body) {
    JsonObject error = body.getJsonObject("error");
    if (error == null || error.getString("type") == null) {
      throw Failure.BAD_REQUEST.exception("'error' with a 'type' is required");
    }
    return store.refuseTask().refuse(HubVerticle.id(body), body.getString("leaseToken"), error).map(refused -> {
      Task task = refused.task();
      transitions.ended(task, null);
      notices.publish(TaskEvent.state(task));
      notices.announce(refused.readyTypes());
      notices.finished(List.of(task));
      return task.toJson();
    });
  }
}
