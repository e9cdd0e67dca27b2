package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * The hub's way into PostgreSQL: two connection pools and the steps of a task's life, one class each, named as what
 * they do ({@link RegisterTasks}, {@link ClaimTask}, {@link ReportProgress}, {@link CompleteAttempt},
 * {@link ReleaseTasks}, …). Nothing outside this package sees SQL or a connection. Every state change is one guarded
 * statement: it names the state it expects (and the lease token where an agent is involved), so zero rows means a
 * lost race, reported as {@link dev.taskhub.api.Failure#CONFLICT}.
 */
public final class Store {
  private static final int LATEST_SCHEMA = Migrations.latestVersion();
  /**
   * A hub writes one batch of claims and one of completions at a time (hub.Batcher); the rest is spare, for a statement
   * still running while the next batch is written on another connection.
   */
  private static final int HOT_PATH_CONNECTIONS = 4;

  private final Vertx vertx;
  private final String url;
  private final Pool pool;
  /** The claim's and the completion's: planned once per connection ({@link Database#genericPlanPool}). */
  private final Pool hotPath;
  private final RegisterTasks registerTasks;
  private final ReadTasks readTasks;
  private final ChangeTasks changeTasks;
  private final ClaimTask claimTask;
  private final ReportProgress reportProgress;
  private final CompleteAttempt completeAttempt;
  private final ReleaseTasks releaseTasks;
  private final RefuseTask refuseTask;
  private final DueTasks dueTasks;
  private final FinalizationStore finalizations;
  private final ReadSchedules readSchedules;
  private final ChangeSchedules changeSchedules;
  private final FireSchedules fireSchedules;
  private final PurgeTasks purgeTasks;
  private final ClaimWithinLimits claimWithinLimits;
  private final ReadTypeSettings readTypeSettings;
  private final ChangeTypeSettings changeTypeSettings;

  private Store(Vertx vertx, String url, Pool pool, Pool hotPath, int maxLogChars) {
    this.vertx = vertx;
    this.url = url;
    this.pool = pool;
    this.hotPath = hotPath;
    this.registerTasks = new RegisterTasks(pool);
    this.readTasks = new ReadTasks(pool);
    this.changeTasks = new ChangeTasks(pool, maxLogChars);
    this.claimTask = new ClaimTask(hotPath, maxLogChars);
    this.reportProgress = new ReportProgress(pool, maxLogChars);
    this.completeAttempt = new CompleteAttempt(hotPath, maxLogChars);
    this.releaseTasks = new ReleaseTasks(pool, maxLogChars);
    this.refuseTask = new RefuseTask(pool, maxLogChars);
    this.dueTasks = new DueTasks(pool);
    this.finalizations = new FinalizationStore(pool);
    this.readSchedules = new ReadSchedules(pool);
    this.changeSchedules = new ChangeSchedules(pool);
    this.fireSchedules = new FireSchedules(pool);
    this.purgeTasks = new PurgeTasks(pool);
    this.claimWithinLimits = new ClaimWithinLimits(pool, maxLogChars);
    this.readTypeSettings = new ReadTypeSettings(pool);
    this.changeTypeSettings = new ChangeTypeSettings(pool);
  }

  /**
   * Opens a pool of up to {@code poolSize} connections to a {@code postgresql://user:password@host:port/database}
   * URL, and one of up to {@link #HOT_PATH_CONNECTIONS} for the claim and the completion (connections are made on
   * first use). {@code maxLogChars} caps a task's stored log: its tail is kept.
   */
  public static Store open(Vertx vertx, String url, int poolSize, int maxLogChars) {
    return new Store(vertx, url, Database.pool(vertx, url, poolSize), Database.genericPlanPool(vertx, url, HOT_PATH_CONNECTIONS),
        maxLogChars);
  }

  /** Brings the schema up to date ({@link Migrations}); the future holds the resulting version. */
  public Future<Integer> migrate() {
    return Migrations.apply(vertx, pool);
  }

  /**
   * Why this store is not ready, or nothing: the database must answer, and its schema must be at the version this
   * code migrates to (a restored backup may be older or newer). One small query: for {@code GET /ready}.
   */
  public Future<List<String>> unreadiness() {
    int expected = LATEST_SCHEMA;
    return Sql.simple(pool, "SELECT coalesce(max(version), 0) AS v FROM taskhub.migration").execute()
        .map(rows -> {
          int version = rows.iterator().next().getInteger("v");
          return version == expected ? List.<String>of()
              : List.of("the database schema is at version " + version + ", this hub needs " + expected + ": restart the hub to migrate it");
        })
        .otherwise(e -> List.of("the database does not answer: " + e.getMessage()));
  }

  public RegisterTasks registerTasks() {
    return registerTasks;
  }

  public ReadTasks readTasks() {
    return readTasks;
  }

  public ChangeTasks changeTasks() {
    return changeTasks;
  }

  public ClaimTask claimTask() {
    return claimTask;
  }

  public ReportProgress reportProgress() {
    return reportProgress;
  }

  public CompleteAttempt completeAttempt() {
    return completeAttempt;
  }

  public ReleaseTasks releaseTasks() {
    return releaseTasks;
  }

  public RefuseTask refuseTask() {
    return refuseTask;
  }

  public DueTasks dueTasks() {
    return dueTasks;
  }

  public FinalizationStore finalizations() {
    return finalizations;
  }

  public ReadSchedules readSchedules() {
    return readSchedules;
  }

  public ChangeSchedules changeSchedules() {
    return changeSchedules;
  }

  public FireSchedules fireSchedules() {
    return fireSchedules;
  }

  public PurgeTasks purgeTasks() {
    return purgeTasks;
  }

  public ClaimWithinLimits claimWithinLimits() {
    return claimWithinLimits;
  }

  public ReadTypeSettings readTypeSettings() {
    return readTypeSettings;
  }

  public ChangeTypeSettings changeTypeSettings() {
    return changeTypeSettings;
  }

  /** A new handle on the maintenance leader's lock, on a connection of its own named after {@code clusterNodeId}. */
  public MaintenanceLock maintenanceLock(String clusterNodeId) {
    return new MaintenanceLock(vertx, Database.connectOptions(url), pool, clusterNodeId);
  }

  /** Statements this JVM's stores have sent since it started (a batch counts once): the database cost of a task. */
  public static long statementsSent() {
    return Sql.statements();
  }

  /** Closes the pools. A {@link MaintenanceLock} has its own connection and is closed by its owner. */
  public Future<Void> close() {
    return Future.join(pool.close(), hotPath.close()).mapEmpty();
  }
}
