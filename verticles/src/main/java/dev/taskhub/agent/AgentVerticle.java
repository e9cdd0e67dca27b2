package dev.taskhub.agent;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.AgentStatus;
import dev.taskhub.api.Causes;
import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An agent runs one task at a time. Its loop: ask a hub for a task ({@link ClaimFromHub}), hand it to an
 * {@link Attempt}, which runs, watches and reports it, then ask again; with nothing to claim it sleeps until a hub
 * announces work (push, never polling; an announcement of n new tasks wakes at most n of a node's idle agents,
 * {@link AnnouncementShares}), or until a hub offers it a task registered meanwhile, already RUNNING for it
 * ({@link #onOffer}). The hazard is an announcement that lands while a claim is under way, too late
 * for that claim: it is remembered and the agent asks once more, or the task would wait for the next announcement.
 * A draining agent (its node shuts down) claims nothing more and lets its attempt end; {@link #stop} kills it.
 */
public class AgentVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AgentVerticle.class);
  private static final long RETRY_MS = 1000;
  private static final long MAX_RETRY_MS = 30_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private enum State { IDLE, CLAIMING, RUNNING, STOPPED }

  private String agentId;
  private String nodeId;
  private NodeSettings.ExecutorAccess access;
  private ExecutorCatalog catalog;
  private NodeLoad load;
  private ExecutorService launcher;
  private Path workRoot;
  private WorkDir workDir;
  private ExecutorRun.Limits limits;
  private Attempt.Terms terms;
  private ClaimFromHub claims;
  private ExecutorLauncher executors;
  private AnnouncementShares shares;

  private State state = State.IDLE;
  private boolean announcedWhileClaiming;
  private int failedClaims;
  private long retryTimer = -1;
  private long claimSentNanos;
  private Attempt current;
  private Promise<Void> drained;   // non-null once the node drains: completed when no claim or attempt is left
  private int graceSeconds;

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.from(config());
    nodeId = NodeIdentity.of(vertx, settings);
    agentId = settings.agentId() != null ? settings.agentId() : nodeId + "/agent-" + deploymentID();
    access = settings.executorAccess();
    catalog = new ExecutorCatalog(settings.executorsDir());
    load = new NodeLoad(settings.agent().maxCpuLoad(), settings.agent().minFreeMemoryMb());
    workRoot = settings.dataDir().resolve("work").toAbsolutePath();
    terms = new Attempt.Terms(agentId, settings.agent().executorTimeoutSeconds() * 1000L, settings.agent().lease());
    NodeSettings.ExecutorLimits bounds = settings.executor();
    limits = new ExecutorRun.Limits(bounds.maxLineChars(), bounds.maxResultChars(), bounds.maxPendingLogChars());
    graceSeconds = settings.shutdownGraceSeconds();
    claims = new ClaimFromHub(vertx, agentId, nodeId, () -> state == State.STOPPED || drained != null);
    shares = AnnouncementShares.of(vertx, nodeId);
    // Executors are started from this one long-lived thread: their parent-death signal is tied to it.
    launcher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "taskhub-launcher-" + agentId);
      t.setDaemon(true);
      return t;
    });

    vertx.eventBus().<JsonObject>consumer(Addresses.AVAILABLE, this::onAvailable);
    vertx.eventBus().<JsonObject>consumer(Addresses.CANCELLED, this::onCancelled);
    vertx.eventBus().<JsonObject>consumer(Addresses.agentOffer(agentId), this::onOffer);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.agentDrain(agentId), msg -> drain().onComplete(x -> msg.reply(new JsonObject())));
    vertx.setPeriodic(10_000, id -> rescan());
    return vertx.executeBlocking(() -> {
      ExecutorToken.check(settings); // an admin executor.token: this agent does not start
      executors = ExecutorLauncher.forNode(settings); // may write the spawner's binary under data.dir
      workDir = WorkDir.of(workRoot, agentId);
      return catalog.scan();
    }).onSuccess(found -> {
      log.info("{} ready with executors {} from {}, started by {}", agentId, found.keySet(),
          catalog.dir().toAbsolutePath(), executors.describe());
      announceStatus(null);
      claimNext();
    });
  }

  @Override
  public Future<?> stop() {
    state = State.STOPPED;
    Attempt attempt = current;
    if (attempt == null) {
      launcher.shutdownNow();
      return Future.succeededFuture();
    }
    String why = "agent " + agentId + " stopped"
        + (drained == null ? "" : ": its node shut down before the task ended (node.shutdownGraceSeconds " + graceSeconds + ")");
    return attempt.stop(why).onComplete(x -> launcher.shutdownNow());
  }

  /** The node drains: claim nothing more; done once the attempt under way, if any, has ended and been reported. */
  private Future<Void> drain() {
    if (drained == null) {
      drained = Promise.promise();
      cancelRetry();
      log.info("{} drains: it claims nothing more{}", agentId, current == null ? "" : " and lets task " + current.taskId() + " end");
    }
    settleDrain();
    return drained.future();
  }

  private void settleDrain() {
    if (drained != null && state == State.IDLE) {
      drained.tryComplete();
    }
  }

  /** Looks for new executors; only a type this agent could not run before is a reason to ask for work. */
  private void rescan() {
    List<String> before = catalog.types();
    vertx.executeBlocking(catalog::scan).onSuccess(found -> {
      if (state == State.IDLE && !before.containsAll(found.keySet())) {
        claimNext(); // tasks of the new type may be waiting: nobody announces them to this agent again
      }
    });
  }

  private void onAvailable(Message<JsonObject> msg) {
    JsonArray types = msg.body().getJsonArray("types");
    if (types != null && catalog.types().stream().noneMatch(types::contains)) {
      return;
    }
    if (state == State.IDLE) {
      if (drained == null && shares.take(msg.body())) { // enough of this node's idle agents may have answered it
        claimNext();
      }
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
    Attempt attempt = current;
    if (attempt != null && attempt.taskId() == id) {
      attempt.cancel();
    }
  }

  // ------------------------------------------------------------------ claim

  /** Asks the hub for work when this agent is idle and the node has room; the answer goes to {@link #run}. */
  private void claimNext() {
    if (state != State.IDLE || drained != null || catalog.types().isEmpty()) {
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
    claims.next(catalog.types())
        .onSuccess(this::claimed)
        .onFailure(e -> {
          if (state == State.STOPPED) {
            return;
          }
          state = State.IDLE;
          settleDrain();
          failedClaims++;
          long delay = Math.min(MAX_RETRY_MS, RETRY_MS << Math.min(failedClaims - 1, 5));
          log.debug("{} could not claim ({}); trying again in {} ms", agentId, e.getMessage(), delay);
          retryLater(delay); // the database is away (a hub that starts announces itself and wakes us at once)
        });
  }

  /**
   * A hub offers a task registered while this agent waited, already RUNNING for it (the hub's HandOutClaims). Only an
   * idle agent that would claim now takes it; any other declines and the hub puts the task back in the queue at once.
   * The lease began at the hub a moment before this message: the offer's own short handshake bounds the difference.
   */
  private void onOffer(Message<JsonObject> msg) {
    Claim claim = Claim.fromJson(msg.body());
    if (state != State.IDLE || drained != null || catalog.find(claim.task().type()) == null
        || (load.limited() && load.refusal() != null)) {
      msg.reply(new JsonObject().put("take", false));
      return;
    }
    cancelRetry();
    state = State.CLAIMING;
    announcedWhileClaiming = false;
    claimSentNanos = System.nanoTime();
    claims.take(msg, claim)
        .onSuccess(this::claimed)
        .onFailure(e -> { // no confirmation: the hub gave it back (ClaimFromHub gives it back too); ask for another
          if (state != State.STOPPED) {
            state = State.IDLE;
            settleDrain();
            claimNext();
          }
        });
  }

  /** A claim or an offer was confirmed (or came to nothing: null): run it, or sleep until the next announcement. */
  private void claimed(Claim claim) {
    if (state == State.STOPPED || (claim != null && drained != null)) {
      if (claim != null) { // confirmed just as this agent stopped: give it back rather than let its lease run out
        vertx.eventBus().request(Addresses.RELEASE, new JsonObject().put("id", claim.task().id())
                .put("leaseToken", claim.leaseToken()).put("reason", "agent " + agentId + (drained != null ? " is draining" : " stopped")))
            .onComplete(x -> afterTask()); // a draining agent is drained once the task is back
      }
      return;
    }
    failedClaims = 0;
    if (claim != null) {
      run(claim);
    } else {
      state = State.IDLE;
      settleDrain();
      if (announcedWhileClaiming) {
        claimNext();
      }
    }
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

  /** Hands a claim to a new attempt and claims again once the attempt is over, however it ended. */
  private void run(Claim claim) {
    state = State.RUNNING;
    announceStatus(claim.task());
    Attempt attempt = new Attempt(vertx, context, terms, claim, claimSentNanos);
    current = attempt;
    start(attempt, claim).onComplete(x -> afterTask());
  }

  /** Starts the claim's executor on the launcher thread and lets the attempt watch it. */
  private Future<Void> start(Attempt attempt, Claim claim) {
    Task task = claim.task();
    ExecutorCatalog.ExecutorCommand executor = catalog.find(task.type());
    if (executor == null) {
      return attempt.notStarted("NoExecutor", "no executor for type '" + task.type() + "' on " + agentId);
    }
    String refusal = executor.refusal(task);
    if (refusal != null) {
      return attempt.refused("DataTooLargeForArguments", refusal);
    }
    CompletableFuture<ExecutorRun> started = CompletableFuture.supplyAsync(() -> {
      try {
        return ExecutorRun.start(executors, executor, claim, workDir, access, limits);
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, launcher).thenCompose(run -> run);
    return Future.fromCompletionStage(started, context).transform(ar -> ar.succeeded() ? attempt.watch(ar.result())
        : attempt.notStarted("ExecutorStartFailed", "cannot start " + executor.command() + ": " + Causes.root(ar.cause()).getMessage()));
  }

  private void afterTask() {
    current = null;
    if (state == State.STOPPED) {
      return;
    }
    state = State.IDLE;
    announceStatus(null);
    settleDrain();
    claimNext(); // ask once more; if nothing is there, sleep until the next announcement
  }

  /**
   * Tells the node's heartbeat what this agent does now; the heartbeat carries it to the cluster, coalesced (an agent
   * running short tasks changes state hundreds of times a second: the cluster hears about it a few times).
   */
  private void announceStatus(Task task) {
    AgentStatus status = new AgentStatus(agentId, nodeId, task == null ? AgentStatus.IDLE : AgentStatus.BUSY,
        task == null ? null : task.id(), task == null ? null : task.type(), Instant.now());
    vertx.eventBus().publish(Addresses.AGENT_STATUS, status.toJson(), LOCAL);
  }
}
