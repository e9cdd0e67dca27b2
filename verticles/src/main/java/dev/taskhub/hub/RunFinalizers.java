package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.Finalizer;
import dev.taskhub.api.Task;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.store.FinalizationStore;
import dev.taskhub.store.FinalizationStore.Pending;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the finalizers of finished tasks, in three steps per task: the Java {@link Finalizer}s for its type, a
 * publish on {@link Addresses#TASK_FINISHED}, and a signed POST of the task to its {@code finalizeUrl}. Work is
 * claimed from {@code taskhub.finalization} with SKIP LOCKED and a lease, so one hub runs each. What a try did is
 * recorded step by step, each Java finalizer on its own, so a retry repeats none of it: with the failure that ends
 * the try, and before the finalizeUrl call (slow, remote) so that a hub dying during it loses nothing done before.
 * Started by a completion on this hub (at once) and by the leader's sweep (for everything else: cancellations,
 * other hubs that died).
 */
final class RunFinalizers {
  private static final Logger log = LoggerFactory.getLogger(RunFinalizers.class);
  private static final int BATCH = 50;
  private static final String SIGNATURE_HEADER = "X-Taskhub-Signature";

  private final Vertx vertx;
  private final Context context;
  private final FinalizationStore store;
  private final List<Finalizer> finalizers;
  private final byte[] secret;
  private final int maxTries;
  private final int timeoutSeconds;
  private final HttpClient http;
  private boolean running;
  private boolean again;

  /** Runs {@code finalizers} (those on the class path: {@link #load}). Call it on the hub's context. */
  RunFinalizers(Vertx vertx, FinalizationStore store, NodeSettings.Finalizers settings, List<Finalizer> finalizers) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = store;
    this.finalizers = List.copyOf(finalizers);
    this.secret = settings.secret() == null ? null : settings.secret().getBytes(StandardCharsets.UTF_8);
    this.maxTries = settings.maxAttempts();
    this.timeoutSeconds = settings.timeoutSeconds();
    // One connection per callback: receivers are many and rarely called twice in a row, and a kept-alive
    // connection that a receiver stopped serving was seen to hang the next call (each call has a time limit too).
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeoutSeconds * 1000).setKeepAlive(false));
  }

  /** The Java finalizers on the hub's class path. */
  static List<Finalizer> load() {
    List<Finalizer> found = new ArrayList<>();
    ServiceLoader.load(Finalizer.class, RunFinalizers.class.getClassLoader()).forEach(found::add);
    if (!found.isEmpty()) {
      log.info("finalizers: {}", found.stream().map(f -> f.getClass().getName() + " " + f.types()).toList());
    }
    return found;
  }

  /** Sweeps for due finalizations every {@code periodMs} while this hub leads the maintenance. */
  void start(long periodMs, BooleanSupplier leading) {
    vertx.setPeriodic(periodMs, id -> {
      if (leading.getAsBoolean()) {
        runSoon();
      }
    });
  }

  /** Runs a pass now, or right after the one under way. */
  void runSoon() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    pass().onComplete(x -> {
      running = false;
      if (again) {
        runSoon();
      }
    });
  }

  /** One pass: claims due finalizations, runs them and records the outcome. It never fails. */
  Future<Void> pass() {
    return store.claim(BATCH, 2 * timeoutSeconds + 10)
        .compose(claimed -> {
          if (claimed.size() == BATCH) {
            again = true;
          }
          List<Future<Boolean>> runs = claimed.stream().map(this::finalize).toList();
          return Future.join(runs).transform(x -> {
            List<Pending> finalized = new ArrayList<>();
            for (int i = 0; i < claimed.size(); i++) {
              if (Boolean.TRUE.equals(runs.get(i).result())) {
                finalized.add(claimed.get(i));
              }
            }
            return store.done(finalized).map(marked -> {
              if (marked < finalized.size()) {
                log.warn("{} finalizations outlived their lease here: another hub may run them again", finalized.size() - marked);
              }
              return null;
            });
          });
        })
        .onFailure(e -> log.debug("finalizer pass failed, will try again: {}", e.toString()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  void close() {
    http.close();
  }

  /** Runs the steps not yet done; true when all succeeded, false when the failure was recorded for a retry. */
  private Future<Boolean> finalize(Pending p) {
    Task task = p.task();
    boolean hasUrl = task.finalizeUrl() != null && !task.finalizeUrl().isBlank();
    List<String> done = new ArrayList<>(); // steps this try completed and has not recorded yet
    Future<Void> steps = runJava(p, done);
    if (!p.stepsDone().contains("event")) {
      steps = steps.map(x -> {
        vertx.eventBus().publish(Addresses.TASK_FINISHED, task.toJson());
        done.add("event");
        return null;
      });
    }
    if (hasUrl) {
      steps = steps.compose(x -> record(p, done)).compose(x -> callUrl(task));
    }
    return steps.map(true).recover(e -> store.failed(p, done, String.valueOf(e.getMessage()), maxTries).map(gaveUp -> {
      if (gaveUp) {
        log.error("gave up finalizing task {} ({}) after {} tries: {}", task.id(), task.type(), p.tries(), e.getMessage());
      } else {
        log.warn("finalizing task {} ({}) failed (try {}), will try again: {}", task.id(), task.type(), p.tries(), e.getMessage());
      }
      return false;
    }));
  }

  /** Records the steps done so far (before a step that is slow to fail), and forgets them as recorded. */
  private Future<Void> record(Pending p, List<String> done) {
    if (done.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> steps = List.copyOf(done);
    return store.stepsDone(p, steps).compose(kept -> {
      if (!kept) {
        return Future.failedFuture("the finalization lease of task " + p.task().id() + " was lost");
      }
      done.removeAll(steps);
      return Future.succeededFuture();
    });
  }

  /**
   * Runs, one after the other, the Java finalizers of the task's type that no earlier try completed; each success is
   * added to {@code done}. One that fails does not stop the others; the step fails if any did.
   */
  private Future<Void> runJava(Pending p, List<String> done) {
    if (p.stepsDone().contains("java")) {
      return Future.succeededFuture(); // an older hub recorded all of them at once
    }
    Future<Void> chain = Future.succeededFuture();
    List<String> failures = new ArrayList<>();
    for (Finalizer f : finalizers) {
      String step = "java:" + f.getClass().getName();
      if (!f.supports(p.task().type()) || p.stepsDone().contains(step)) {
        continue;
      }
      chain = chain.compose(x -> TimedFinalizer.run(vertx, context, f, p.task(), timeoutSeconds)
          .map(ok -> done.add(step))
          .otherwise(e -> failures.add(f.getClass().getName() + ": " + e.getMessage()))
          .mapEmpty());
    }
    return chain.compose(x -> failures.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(String.join("; ", failures)));
  }

  /** POSTs the task's JSON to its finalizeUrl; any 2xx is success. */
  private Future<Void> callUrl(Task task) {
    Buffer body = task.toJson().toBuffer();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(task.finalizeUrl())
        .setIdleTimeout(timeoutSeconds * 1000L)
        .putHeader("content-type", "application/json")
        .putHeader("X-Taskhub-Task-Id", Long.toString(task.id()));
    if (secret != null) {
      request.putHeader(SIGNATURE_HEADER, "sha256=" + sign(body));
    }
    return http.request(request)
        .compose(req -> req.send(body))
        .compose(response -> response.body().compose(ignored -> response.statusCode() / 100 == 2
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(task.finalizeUrl() + " answered " + response.statusCode())))
        .timeout(timeoutSeconds, TimeUnit.SECONDS);
  }

  private String sign(Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign with HmacSHA256", e);
    }
  }
}
