package dev.taskhub.agent;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Claim;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.LeaseTerms;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One attempt of one claimed task, from its executor's start to its reported outcome. A few times a second it enforces
 * the timeouts, forwards coalesced progress and renews the lease. The hazard is a lease that ran out unnoticed (this
 * JVM hung, or no hub answered): the task may run elsewhere by now, so the attempt kills its executor and reports
 * nothing more ("stale"), just as when the hub says the lease is someone else's. Runs on the agent's event loop only.
 */
final class Attempt {
  private static final Logger log = LoggerFactory.getLogger(AgentVerticle.class); // one logger for the agent's lines
  private static final long REPORT_INTERVAL_MS = 250;

  /** What every attempt of one agent runs under. */
  record Terms(String agentId, long executorTimeoutMs, LeaseTerms lease) {

    /**
     * Reports and completions wait at most half a lease period for an answer: a hub that died or hangs with the
     * request in flight never answers, and the retries (the lease is twice the period) must reach a live hub while
     * the lease still holds, even if the first ones land on a hung hub that the cluster has not dropped yet.
     */
    DeliveryOptions toHub() {
      return new DeliveryOptions().setSendTimeout(Math.min(10_000, Math.max(1000, lease.periodMillis() / 2)));
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final Terms terms;
  private final Claim claim;
  private final ReportCompletion completion;

  private ExecutorRun run;      // null until the executor has started
  private long startedNanos;
  private long renewedNanos;    // when the last renewal the hub accepted was sent: the lease runs from about then
  private long timer = -1;
  private long lastReportNanos;
  private boolean reportInFlight;
  private JsonObject killedFor; // the error recorded when the agent killed the executor
  private boolean stale;        // the hub gave the task to someone else, or it was cancelled: report nothing more
  private boolean cancelledWhileStarting;
  private boolean stopped;      // the agent is stopping: a completion that no hub answers is not retried

  /** {@code claimSentNanos}: when the claim was asked for, where the first lease began at the latest. */
  Attempt(Vertx vertx, Context context, Terms terms, Claim claim, long claimSentNanos) {
    this.vertx = vertx;
    this.context = context;
    this.terms = terms;
    this.claim = claim;
    this.renewedNanos = claimSentNanos;
    this.completion = new ReportCompletion(vertx, terms, () -> stopped);
  }

  long taskId() {
    return task().id();
  }

  private Task task() {
    return claim.task();
  }

  /** The executor could not be started: the attempt ends with this error. */
  Future<Void> notStarted(String type, String message) {
    return completion.send(report(null, false, null, null, error(type, message)));
  }

  /**
   * The executor can never start for this task, on any node or attempt: it ends ERROR at once, without retries. If no
   * hub takes the refusal, it is reported as an attempt that failed to start (retried while attempts remain).
   */
  Future<Void> refused(String type, String message) {
    log.warn("{} refuses task {} ({}) attempt {}: {}", terms.agentId(), task().id(), task().type(), task().attempts(), message);
    JsonObject refusal = new JsonObject().put("id", task().id()).put("leaseToken", claim.leaseToken())
        .put("error", error(type, message));
    return vertx.eventBus().<JsonObject>request(Addresses.REFUSE, refusal, terms.toHub())
        .<Void>mapEmpty()
        .recover(e -> ReportCompletion.isConflict(e) ? Future.succeededFuture() : notStarted(type, message));
  }

  /** Watches the started executor until it ends, then reports how it ended unless the attempt went stale. */
  Future<Void> watch(ExecutorRun started) {
    run = started;
    startedNanos = System.nanoTime();
    lastReportNanos = startedNanos;
    log.debug("{} runs task {} ({}) attempt {} as pid {}", terms.agentId(), task().id(), task().type(),
        task().attempts(), run.pid());
    timer = vertx.setPeriodic(REPORT_INTERVAL_MS, id -> tick());
    Future<Void> over = Future.fromCompletionStage(run.ended(), context).compose(this::ended);
    if (cancelledWhileStarting) {
      stale = true;
      kill(error("Cancelled", "cancelled on request while starting: the executor and its processes were killed"));
    }
    return over;
  }

  /** A user cancelled the task; the hub has recorded it CANCELLED already. */
  void cancel() {
    if (run == null) {
      cancelledWhileStarting = true; // watch() kills it as soon as it has started
      return;
    }
    stale = true;
    kill(error("Cancelled", "cancelled on request: the executor and its processes were killed"));
  }

  /**
   * The agent stops: give the task back rather than leave it RUNNING until its lease expires. {@code why} goes to the
   * task's log ("released: …").
   */
  Future<Void> stop(String why) {
    stopped = true;
    if (run == null) {
      return Future.succeededFuture();
    }
    stale = true; // the killed run reports nothing
    return vertx.executeBlocking(() -> {
          run.kill();
          return null;
        })
        .compose(x -> release(why));
  }

  /** Gives the task back, READY at once, the attempt not counted; a stale lease makes it a no-op. */
  private Future<Void> release(String reason) {
    return vertx.eventBus().request(Addresses.RELEASE, new JsonObject()
            .put("id", task().id()).put("leaseToken", claim.leaseToken()).put("reason", reason),
            new DeliveryOptions().setSendTimeout(2000))
        .otherwiseEmpty()
        .mapEmpty();
  }

  /** A few times a second: enforce the timeouts, forward what changed, renew the lease. */
  private void tick() {
    LeaseTerms lease = terms.lease();
    if (killedFor == null) {
      long silentMs = TimeUnit.NANOSECONDS.toMillis(run.silentNanos());
      long executorTimeoutMs = terms.executorTimeoutMs();
      Integer timeout = task().timeoutSeconds();
      if (silentMs > executorTimeoutMs) {
        kill(error("InactivityTimeout", "no output for " + silentMs / 1000
            + " s (agent.executorTimeoutSeconds " + executorTimeoutMs / 1000 + "): the executor and its processes were killed"));
      } else if (timeout != null && System.nanoTime() - startedNanos > timeout * 1_000_000_000L) {
        kill(error("Timeout", "still running after its timeoutSeconds " + timeout + ": the executor and its processes were killed"));
      }
    }
    if (!stale && System.nanoTime() - renewedNanos > lease.leaseNanos()) {
      // Our lease has run out (this JVM hung, or no hub answered): the task may be running elsewhere by now.
      stale = true;
      kill(error("LeaseExpired", "the lease was not renewed for " + lease.leaseSeconds()
          + " s (a hung node or no hub): this run was stopped, the task runs again elsewhere"));
    }
    if (reportInFlight || stale) {
      return;
    }
    boolean leaseDue = System.nanoTime() - lastReportNanos > lease.periodNanos();
    ExecutorOutput output = run.output();
    ExecutorOutput.Snapshot s = leaseDue || output.hasNews() ? output.drain() : null;
    if (s == null) {
      return;
    }
    reportInFlight = true;
    long sentNanos = System.nanoTime();
    lastReportNanos = sentNanos;
    ProgressReport report = new ProgressReport(task().id(), claim.leaseToken(), s.progress(), s.message(), s.details(), s.log());
    vertx.eventBus().<JsonObject>request(Addresses.REPORT, report.toJson(), terms.toHub())
        .onComplete(ar -> reportInFlight = false)
        .onSuccess(reply -> renewedNanos = sentNanos)
        .onFailure(e -> {
          if (ReportCompletion.isConflict(e)) {
            stale = true;
            kill(error("LeaseLost", "the hub gave this task to another agent: this run was stopped"));
          }
          // otherwise the hub is away for now: the next tick tries again, the lease has some room
        });
  }

  private void kill(JsonObject reason) {
    if (killedFor != null) {
      return;
    }
    killedFor = reason;
    log.warn("{} kills task {} ({}) attempt {}: {}", terms.agentId(), task().id(), task().type(),
        task().attempts(), reason.getString("message"));
    run.output().note(reason.getString("message"));
    vertx.executeBlocking(() -> {
      run.kill();
      return null;
    });
  }

  private Future<Void> ended(ExecutorRun.Outcome outcome) {
    vertx.cancelTimer(timer);
    ExecutorOutput.Snapshot last = run.output().drain();
    JsonObject error = killedFor != null ? killedFor
        : outcome.error() != null ? outcome.error()
        : outcome.exitCode() != 0 ? error("ExitCode", "the executor exited with code " + outcome.exitCode()) : null;
    boolean succeeded = killedFor == null && outcome.exitCode() == 0 && outcome.error() == null;
    vertx.executeBlocking(() -> {
      run.cleanUp();
      return null;
    });
    if (stale) {
      return Future.succeededFuture();
    }
    if (outcome.fenced()) {
      // Killed because this JVM stopped answering: not the task's failure. It may run elsewhere already.
      log.warn("{} task {} ({}) attempt {}: its executor was killed while this JVM was silent; giving it back",
          terms.agentId(), task().id(), task().type(), task().attempts());
      return release("its node stopped answering, so its executor was killed");
    }
    return completion.send(report(last, succeeded, outcome.exitCode(), outcome.resultData(), error));
  }

  private CompletionReport report(ExecutorOutput.Snapshot last, boolean succeeded, Integer exitCode, String resultData,
                                  JsonObject error) {
    return new CompletionReport(task().id(), claim.leaseToken(), succeeded, exitCode, resultData, error,
        last == null ? null : last.progress(), last == null ? null : last.message(), last == null ? null : last.log());
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject().put("type", type).put("message", message);
  }
}
