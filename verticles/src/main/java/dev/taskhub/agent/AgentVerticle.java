package dev.taskhub.agent;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.AgentStatus;
import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Settings;
import dev.taskhub.api.Task;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An agent runs one task at a time. Its loop: claim a task, run its executor, report the outcome, claim again;
 * when there is nothing to claim it sleeps until a hub announces work (push, never polling). While the executor
 * runs, the agent forwards coalesced progress, renews the lease, and kills the executor's whole process tree when
 * it goes silent, overruns its timeout, or the hub says the lease is no longer ours.
 */
public class AgentVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AgentVerticle.class);
  private static final long REPORT_INTERVAL_MS = 250;
  private static final long RETRY_MS = 1000;

  private enum State { IDLE, CLAIMING, RUNNING, STOPPED }

  private String agentId;
  private String nodeId;
  private String hubUrl;
  private ExecutorCatalog catalog;
  private NodeLoad load;
  private ExecutorService launcher;
  private Path workRoot;
  private ExecutorRun.Limits limits;
  private long executorTimeoutMs;
  private long leasePeriodMs;

  private State state = State.IDLE;
  private boolean announcedWhileClaiming;
  private long retryTimer = -1;
  private long claimSentNanos;
  private Running current;
  private long starting = -1;        // the task whose executor is being started
  private boolean cancelledWhileStarting;

  /** The task this agent runs now. */
  private static final class Running {
    final Claim claim;
    final ExecutorRun run;
    final long startedNanos = System.nanoTime();
    long renewedNanos;    // when the last renewal the hub accepted was sent: the lease runs from about then
    long timer;
    long lastReportNanos = System.nanoTime();
    boolean reportInFlight;
    JsonObject killedFor; // the error recorded when the agent killed the executor
    boolean stale;        // the hub gave the task to someone else, or it was cancelled: report nothing more

    Running(Claim claim, ExecutorRun run, long claimSentNanos) {
      this.claim = claim;
      this.run = run;
      this.renewedNanos = claimSentNanos;
    }

    Task task() {
      return claim.task();
    }
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    nodeId = NodeIdentity.of(vertx, settings);
    agentId = settings.string("agent.id", nodeId + "/agent-" + deploymentID());
    hubUrl = settings.string("hub.url", "");
    catalog = new ExecutorCatalog(Path.of(settings.string("executors.dir", "conf/executors")));
    load = new NodeLoad(settings.decimal("agent.maxCpuLoad"), settings.decimal("agent.minFreeMemoryMb"));
    workRoot = Path.of(settings.string("data.dir", "taskhub-data"), "work").toAbsolutePath();
    executorTimeoutMs = settings.integer("agent.executorTimeoutSeconds", 30) * 1000L;
    leasePeriodMs = settings.integer("agent.leasePeriodSeconds", 15) * 1000L;
    limits = new ExecutorRun.Limits(settings.integer("executor.maxLineChars", 64 * 1024),
        settings.integer("executor.maxResultChars", 1024 * 1024), settings.integer("executor.maxPendingLogChars", 256 * 1024));
    // Executors are started from this one long-lived thread: their parent-death signal is tied to it.
    launcher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "taskhub-launcher-" + agentId);
      t.setDaemon(true);
      return t;
    });

    vertx.eventBus().<JsonObject>consumer(Addresses.AVAILABLE, this::onAvailable);
    vertx.eventBus().<JsonObject>consumer(Addresses.CANCELLED, this::onCancelled);
    vertx.setPeriodic(10_000, id -> rescan());
    return vertx.executeBlocking(catalog::scan).onSuccess(found -> {
      log.info("{} ready with executors {} from {}", agentId, found.keySet(), catalog.dir().toAbsolutePath());
      announceStatus(null);
      claimNext();
    });
  }

  @Override
  public Future<?> stop() {
    state = State.STOPPED;
    Running running = current;
    if (running == null) {
      launcher.shutdownNow();
      return Future.succeededFuture();
    }
    // Give the task back rather than leave it RUNNING until its lease expires; the killed run reports nothing.
    running.stale = true;
    return vertx.executeBlocking(() -> {
          running.run.kill();
          return null;
        })
        .compose(x -> vertx.eventBus().request(Addresses.RELEASE, new JsonObject()
            .put("id", running.task().id()).put("leaseToken", running.claim.leaseToken())
            .put("reason", "agent " + agentId + " stopped"), new DeliveryOptions().setSendTimeout(2000)))
        .otherwiseEmpty()
        .onComplete(x -> launcher.shutdownNow());
  }

  private void rescan() {
    vertx.executeBlocking(catalog::scan).onSuccess(found -> {
      if (state == State.IDLE && !found.isEmpty()) {
        claimNext(); // a new executor may have tasks waiting
      }
    });
  }

  private void onAvailable(Message<JsonObject> msg) {
    JsonArray types = msg.body().getJsonArray("types");
    if (types != null && catalog.types().stream().noneMatch(types::contains)) {
      return;
    }
    if (state == State.IDLE) {
      claimNext();
    } else if (state == State.CLAIMING) {
      announcedWhileClaiming = true; // the claim under way may have been too early for this task
    }
  }

  /** A user cancelled a RUNNING task: if it is ours, kill its executor now; the hub has recorded it CANCELLED already. */
  private void onCancelled(Message<JsonObject> msg) {
    Long id = msg.body().getLong("id");
    if (id == null) {
      return;
    }
    Running running = current;
    if (running != null && running.task().id() == id) {
      running.stale = true;
      kill(running, error("Cancelled", "cancelled on request: the executor and its processes were killed"));
    } else if (starting == id) {
      cancelledWhileStarting = true; // watch() kills it as soon as it has started
    }
  }

  // ------------------------------------------------------------------ claim

  private void claimNext() {
    if (state != State.IDLE || catalog.types().isEmpty()) {
      return;
    }
    cancelRetry();
    if (load.limited()) {
      String refusal = load.refusal();
      if (refusal != null) {
        log.debug("{} not claiming: {}", agentId, refusal);
        retryLater(2000);
        return;
      }
    }
    state = State.CLAIMING;
    announcedWhileClaiming = false;
    claimSentNanos = System.nanoTime();
    ClaimRequest request = new ClaimRequest(agentId, nodeId, catalog.types());
    vertx.eventBus().<JsonObject>request(Addresses.CLAIM, request.toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .onSuccess(reply -> {
          if (state == State.STOPPED) {
            return;
          }
          if (reply.body().containsKey("task")) {
            run(Claim.fromJson(reply.body()));
          } else {
            state = State.IDLE;
            if (announcedWhileClaiming) {
              claimNext();
            }
          }
        })
        .onFailure(e -> {
          if (state == State.STOPPED) {
            return;
          }
          state = State.IDLE;
          log.debug("{} could not claim ({}); trying again", agentId, e.getMessage());
          retryLater(RETRY_MS); // no hub yet, or the database is away
        });
  }

  private void retryLater(long delayMs) {
    if (retryTimer < 0) {
      retryTimer = vertx.setTimer(delayMs, id -> {
        retryTimer = -1;
        claimNext();
      });
    }
  }

  private void cancelRetry() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  // ------------------------------------------------------------------ run

  private void run(Claim claim) {
    state = State.RUNNING;
    Task task = claim.task();
    starting = task.id();
    cancelledWhileStarting = false;
    announceStatus(task);
    ExecutorCatalog.ExecutorCommand executor = catalog.find(task.type());
    if (executor == null) {
      finish(claim, null, false, null, null, error("NoExecutor", "no executor for type '" + task.type() + "' on " + agentId));
      return;
    }
    CompletableFuture<ExecutorRun> started = CompletableFuture.supplyAsync(() -> {
      try {
        return ExecutorRun.start(executor, claim, workRoot, hubUrl, limits);
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, launcher);
    Future.fromCompletionStage(started, context)
        .onSuccess(run -> watch(new Running(claim, run, claimSentNanos)))
        .onFailure(e -> finish(claim, null, false, null, null,
            error("ExecutorStartFailed", "cannot start " + executor.command() + ": " + rootMessage(e))));
  }

  private void watch(Running running) {
    current = running;
    starting = -1;
    log.info("{} runs task {} ({}) attempt {} as pid {}", agentId, running.task().id(), running.task().type(),
        running.task().attempts(), running.run.pid());
    running.timer = vertx.setPeriodic(REPORT_INTERVAL_MS, id -> tick(running));
    Future.fromCompletionStage(running.run.ended(), context).onSuccess(outcome -> ended(running, outcome));
    if (cancelledWhileStarting) {
      running.stale = true;
      kill(running, error("Cancelled", "cancelled on request while starting: the executor and its processes were killed"));
    }
  }

  /** A few times a second: enforce the timeouts, forward what changed, renew the lease. */
  private void tick(Running running) {
    if (running.killedFor == null) {
      long silentMs = TimeUnit.NANOSECONDS.toMillis(running.run.silentNanos());
      Integer timeout = running.task().timeoutSeconds();
      if (silentMs > executorTimeoutMs) {
        kill(running, error("InactivityTimeout", "no output for " + silentMs / 1000
            + " s (agent.executorTimeoutSeconds " + executorTimeoutMs / 1000 + "): the executor and its processes were killed"));
      } else if (timeout != null && System.nanoTime() - running.startedNanos > timeout * 1_000_000_000L) {
        kill(running, error("Timeout", "still running after its timeoutSeconds " + timeout + ": the executor and its processes were killed"));
      }
    }
    if (!running.stale && System.nanoTime() - running.renewedNanos > 2 * leasePeriodMs * 1_000_000L) {
      // Our lease has run out (this JVM hung, or no hub answered): the task may be running elsewhere by now.
      running.stale = true;
      kill(running, error("LeaseExpired", "the lease was not renewed for " + 2 * leasePeriodMs / 1000
          + " s (a hung node or no hub): this run was stopped, the task runs again elsewhere"));
    }
    if (running.reportInFlight || running.stale) {
      return;
    }
    boolean leaseDue = System.nanoTime() - running.lastReportNanos > leasePeriodMs * 1_000_000L;
    ExecutorOutput output = running.run.output();
    ExecutorOutput.Snapshot s = leaseDue || output.hasNews() ? output.drain() : null;
    if (s == null) {
      return;
    }
    running.reportInFlight = true;
    long sentNanos = System.nanoTime();
    running.lastReportNanos = sentNanos;
    ProgressReport report = new ProgressReport(running.task().id(), running.claim.leaseToken(), s.progress(), s.message(), s.details(), s.log());
    vertx.eventBus().<JsonObject>request(Addresses.REPORT, report.toJson(), toHub())
        .onComplete(ar -> running.reportInFlight = false)
        .onSuccess(reply -> running.renewedNanos = sentNanos)
        .onFailure(e -> {
          if (isConflict(e)) {
            running.stale = true;
            kill(running, error("LeaseLost", "the hub gave this task to another agent: this run was stopped"));
          }
          // otherwise the hub is away for now: the next tick tries again, the lease has some room
        });
  }

  private void kill(Running running, JsonObject reason) {
    if (running.killedFor != null) {
      return;
    }
    running.killedFor = reason;
    log.warn("{} kills task {} ({}) attempt {}: {}", agentId, running.task().id(), running.task().type(),
        running.task().attempts(), reason.getString("message"));
    running.run.output().note(reason.getString("message"));
    vertx.executeBlocking(() -> {
      running.run.kill();
      return null;
    });
  }

  private void ended(Running running, ExecutorRun.Outcome outcome) {
    vertx.cancelTimer(running.timer);
    ExecutorOutput.Snapshot last = running.run.output().drain();
    JsonObject error = running.killedFor != null ? running.killedFor
        : outcome.error() != null ? outcome.error()
        : outcome.exitCode() != 0 ? error("ExitCode", "the executor exited with code " + outcome.exitCode()) : null;
    boolean succeeded = running.killedFor == null && outcome.exitCode() == 0 && outcome.error() == null;
    vertx.executeBlocking(() -> {
      running.run.cleanUp();
      return null;
    });
    if (running.stale) {
      afterTask();
      return;
    }
    finish(running.claim, last, succeeded, outcome.exitCode(), outcome.resultData(), error);
  }

  // ------------------------------------------------------------------ finish

  private void finish(Claim claim, ExecutorOutput.Snapshot last, boolean succeeded, Integer exitCode, String resultData, JsonObject error) {
    Task task = claim.task();
    CompletionReport report = new CompletionReport(task.id(), claim.leaseToken(), succeeded, exitCode, resultData, error,
        last == null ? null : last.progress(), last == null ? null : last.message(), last == null ? null : last.log());
    long deadline = System.nanoTime() + 2 * leasePeriodMs * 1_000_000L;
    complete(report, deadline).onComplete(ar -> {
      if (ar.failed() && isConflict(ar.cause())) {
        log.info("{} ended task {} but the hub no longer holds it for this agent (cancelled or released): nothing recorded",
            agentId, task.id());
      } else if (ar.failed()) {
        log.warn("{} could not report the end of task {}: {} (its lease will expire and it will run again)",
            agentId, task.id(), ar.cause().getMessage());
      }
      afterTask();
    });
  }

  /** Reports the end of an attempt, retrying while no hub answers; a stale lease is final. */
  private Future<Void> complete(CompletionReport report, long deadlineNanos) {
    Promise<Void> done = Promise.promise();
    vertx.eventBus().<JsonObject>request(Addresses.COMPLETE, report.toJson(), toHub())
        .onSuccess(reply -> done.complete())
        .onFailure(e -> {
          if (isConflict(e) || System.nanoTime() > deadlineNanos || state == State.STOPPED) {
            done.fail(e);
          } else {
            vertx.setTimer(RETRY_MS, id -> complete(report, deadlineNanos).onComplete(done));
          }
        });
    return done.future();
  }

  private void afterTask() {
    current = null;
    starting = -1;
    if (state == State.STOPPED) {
      return;
    }
    state = State.IDLE;
    announceStatus(null);
    claimNext(); // ask once more; if nothing is there, sleep until the next announcement
  }

  /** Tells the node's heartbeat and any monitor what this agent does now. */
  private void announceStatus(Task task) {
    AgentStatus status = new AgentStatus(agentId, nodeId, task == null ? AgentStatus.IDLE : AgentStatus.BUSY,
        task == null ? null : task.id(), task == null ? null : task.type(), Instant.now());
    vertx.eventBus().publish(Addresses.AGENT_STATUS, status.toJson());
  }

  /**
   * Reports and completions wait at most half a lease period for an answer: a hub that died or hangs with the
   * request in flight never answers, and the retries (the lease is twice the period) must reach a live hub while
   * the lease still holds, even if the first ones land on a hung hub that the cluster has not dropped yet.
   */
  private DeliveryOptions toHub() {
    return new DeliveryOptions().setSendTimeout(Math.min(10_000, Math.max(1000, leasePeriodMs / 2)));
  }

  private static boolean isConflict(Throwable e) {
    return e instanceof ReplyException r && r.failureCode() == Failure.CONFLICT.code;
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject().put("type", type).put("message", message);
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
