package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * The hub's way into PostgreSQL: one connection pool and the steps of a task's life, one class each, named as what
 * they do ({@link RegisterTasks}, {@link ClaimTask}, {@link ReportProgress}, {@link CompleteAttempt},
 * {@link ReleaseTasks}, …). Nothing outside this package sees SQL or a connection. Every state change is one guarded
 * statement: it names the state it expects (and the lease token where an agent is involved), so zero rows means a
 * lost race, reported as {@link dev.taskhub.api.Failure#CONFLICT}.
 */
public final class Store {
  private final Vertx vertx;
  private final String url;
  private final Pool pool;
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

  private Store(Vertx vertx, String url, Pool pool, int maxLogChars) {
    this.vertx = vertx;
    this.url = url;
    this.pool = pool;
    this.registerTasks = new RegisterTasks(pool);
    this.readTasks = new ReadTasks(pool);
    this.changeTasks = new ChangeTasks(pool, maxLogChars);
    this.claimTask = new ClaimTask(pool, maxLogChars);
    this.reportProgress = new ReportProgress(pool, maxLogChars);
    this.completeAttempt = new CompleteAttempt(pool, maxLogChars);
    this.releaseTasks = new ReleaseTasks(pool, maxLogChars);
    this.refuseTask = new RefuseTask(pool, maxLogChars);
    this.dueTasks = new DueTasks(pool);
    this.finalizations = new FinalizationStore(pool);
  }

  /**
   * Opens a pool of up to {@code poolSize} connections to a {@code postgresql://user:password@host:port/database}
   * URL (connections are made on first use). {@code maxLogChars} caps a task's stored log: its tail is kept.
   */
  public static Store open(Vertx vertx, String url, int poolSize, int maxLogChars) {
    return new Store(vertx, url, Database.pool(vertx, url, poolSize), maxLogChars);
  }

  /** Brings the schema up to date ({@link Migrations}); the future holds the resulting version. */
  public Future<Integer> migrate() {
    return Migrations.apply(vertx, pool);
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

  /** A new handle on the maintenance leader's lock, on a connection of its own named after {@code clusterNodeId}. */
  public MaintenanceLock maintenanceLock(String clusterNodeId) {
    return new MaintenanceLock(vertx, Database.connectOptions(url), pool, clusterNodeId);
  }

  /** Statements this JVM's stores have sent since it started (a batch counts once): the database cost of a task. */
  public static long statementsSent() {
    return Sql.statements();
  }

  /** Closes the pool. A {@link MaintenanceLock} has its own connection and is closed by its owner. */
  public Future<Void> close() {
    return pool.close();
  }
}
