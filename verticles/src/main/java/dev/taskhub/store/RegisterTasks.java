package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.LIVE;
import static dev.taskhub.store.TaskRows.task;

/**
 * Where a task is registered: one INSERT for a whole batch, deduplicated by key; tasks with predecessors start
 * WAITING and are settled at once, since their predecessors may have ended already.
 *
 * <p>The batch is one statement over arrays ({@code INSERT … SELECT … FROM unnest(…)}), so a registration without
 * predecessors is one round trip and one commit, all or nothing, whatever its size. The alternative, the prepared
 * INSERT executed once per task inside BEGIN … COMMIT, cost three round trips for one task and a bind and an execute
 * per task for a batch ({@code taskhub bench}, "statements per task", counts them).
 */
public final class RegisterTasks {
  /**
   * What a spec leaves out (null) its type's settings fill in, read by this same statement: a registration follows a
   * PUT /api/types answered before it was sent, whichever hub answered, where a cache in each hub would lag behind
   * another hub's change. The join is one primary-key probe of a table of a few rows per type in the batch.
   */
  private static final String INSERT = "INSERT INTO taskhub.task (type, title, state, priority, data, run_at, "
      + "max_attempts, timeout_seconds, depends_on, run_if, key, tag, app, finalize_url, "
      + "attempts, agent, node, lease_token, lease_expires_at, started_at, fence) "
      + "SELECT t.type, t.title, CASE WHEN h.handed THEN 'RUNNING' ELSE t.state END, coalesce(t.priority, s.priority, $15), "
      + "  t.data::json, coalesce(t.run_at, now()), "
      + "  coalesce(t.max_attempts, s.max_attempts, $16), coalesce(t.timeout_seconds, s.timeout_seconds), "
      + "  t.depends_on::bigint[], t.run_if, t.key, t.tag, t.app, t.finalize_url, "
      + "  CASE WHEN h.handed THEN 1 ELSE 0 END, CASE WHEN h.handed THEN $17 END, CASE WHEN h.handed THEN $18 END, "
      + "  CASE WHEN h.handed THEN $19::uuid END, CASE WHEN h.handed THEN now() + make_interval(secs => $20) END, "
      + "  CASE WHEN h.handed THEN now() END, CASE WHEN h.handed THEN nextval('taskhub.fence') END "
      + "FROM unnest($1::text[], $2::text[], $3::text[], $4::int2[], $5::text[], $6::timestamptz[], $7::int4[], "
      + "  $8::int4[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) WITH ORDINALITY "
      + "  AS t(type, title, state, priority, data, run_at, max_attempts, timeout_seconds, depends_on, run_if, key, "
      + "  tag, app, finalize_url, ord) "
      + "LEFT JOIN taskhub.type_setting s ON s.type = t.type "
      // The one task handed to a waiting agent ($17): due now, and of a type without a limit, which only a claim
      // under the type's lock may start (ClaimWithinLimits); this reads the limit as the claim statement does.
      + "CROSS JOIN LATERAL (SELECT $17::text IS NOT NULL AND t.ord = 1 AND t.state = 'READY' "
      + "  AND coalesce(t.run_at, now()) <= now() AND s.max_running IS NULL AND s.max_running_per_node IS NULL AS handed) h "
      + "ORDER BY t.ord "
      + "ON CONFLICT (key) WHERE key IS NOT NULL AND state IN " + LIVE + " DO NOTHING "
      + "RETURNING lease_token::text AS lease_token, fence, " + COLUMNS;

  /**
   * An idle agent that a single new task may go to at once: the INSERT makes it RUNNING for that agent, with this lease
   * token and a fence, as a claim would, which saves the announcement, the agent's claim and a second commit on the
   * way from registration to a running executor.
   */
  public record HandOver(String agent, String node, UUID leaseToken, int leaseSeconds) {
  }

  /** A registered task, and the claim of the agent it was handed to (null when it was not: it is READY, or other). */
  public record Registered(Task task, Claim claim) {
  }

  private final Pool pool;

  RegisterTasks(Pool pool) {
    this.pool = pool;
  }

  /**
   * Registers all specs, or none. A spec whose key names a live task yields that task instead of a new one. The
   * future holds the tasks in the order of the specs.
   */
  public Future<List<Task>> register(List<TaskSpec> specs) {
    if (specs.stream().allMatch(s -> s.dependsOn().isEmpty())) {
      return insert(pool, specs, null).map(Inserted::tasks); // one statement is its own transaction
    }
    return pool.withTransaction(conn -> lockPredecessors(conn, specs)
        .compose(x -> insert(conn, specs, null)).map(Inserted::tasks)
        .compose(tasks -> {
          List<Long> waiting = tasks.stream().filter(t -> t.state() == TaskState.WAITING).map(Task::id).toList();
          return waiting.isEmpty() ? Future.succeededFuture(tasks)
              : SettleDependents.settle(conn, waiting).compose(changed -> refresh(conn, tasks));
        }));
  }

  /**
   * Registers one task without predecessors and hands it to {@code to} in the same statement when it is due and its
   * type has no limit; otherwise (or when its key names a live task) it is registered as {@link #register} would.
   */
  public Future<Registered> register(TaskSpec spec, HandOver to) {
    if (!spec.dependsOn().isEmpty()) {
      throw new IllegalArgumentException("a task with predecessors starts WAITING: it cannot be handed over");
    }
    return insert(pool, List.of(spec), to).map(inserted -> new Registered(inserted.tasks().get(0), inserted.handed()));
  }

  private record Inserted(List<Task> tasks, Claim handed) {
  }

  private static Future<Inserted> insert(SqlClient client, List<TaskSpec> specs, HandOver to) {
    int n = specs.size();
    String[] type = new String[n], title = new String[n], state = new String[n], data = new String[n];
    String[] dependsOn = new String[n], runIf = new String[n], key = new String[n], tag = new String[n];
    String[] app = new String[n], finalizeUrl = new String[n];
    Short[] priority = new Short[n];
    OffsetDateTime[] runAt = new OffsetDateTime[n];
    Integer[] maxAttempts = new Integer[n], timeout = new Integer[n];
    for (int i = 0; i < n; i++) {
      TaskSpec s = specs.get(i);
      type[i] = s.type();
      title[i] = s.title();
      state[i] = s.dependsOn().isEmpty() ? "READY" : "WAITING";
      priority[i] = s.priority() == null ? null : (short) s.priority().rank;
      data[i] = s.data();
      runAt[i] = s.runAt() == null ? null : s.runAt().atOffset(ZoneOffset.UTC);
      maxAttempts[i] = s.maxAttempts();
      timeout[i] = s.timeoutSeconds();
      dependsOn[i] = s.dependsOn().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
      runIf[i] = s.runIf().name();
      key[i] = s.key();
      tag[i] = s.tag();
      app[i] = s.app();
      finalizeUrl[i] = s.finalizeUrl();
    }
    return Sql.prepared(client, INSERT)
        .execute(Tuple.tuple()
            .addArrayOfString(type)                            // $1
            .addArrayOfString(title)                           // $2
            .addArrayOfString(state)                           // $3 READY, or WAITING for predecessors
            .addArrayOfShort(priority)                         // $4 rank; null: the type's default
            .addArrayOfString(data)                            // $5 JSON text
            .addArrayOfOffsetDateTime(runAt)                   // $6 null: now
            .addArrayOfInteger(maxAttempts)                    // $7 null: the type's default
            .addArrayOfInteger(timeout)                        // $8 null: the type's default, else none
            .addArrayOfString(dependsOn)                       // $9 '{1,2}', read as bigint[]
            .addArrayOfString(runIf)                           // $10
            .addArrayOfString(key)                             // $11
            .addArrayOfString(tag)                             // $12
            .addArrayOfString(app)                             // $13
            .addArrayOfString(finalizeUrl)                     // $14
            .addShort((short) TaskSpec.DEFAULT_PRIORITY.rank)  // $15 priority where neither spec nor type says
            .addInteger(TaskSpec.DEFAULT_MAX_ATTEMPTS)         // $16 attempts where neither spec nor type says
            .addString(to == null ? null : to.agent())         // $17 the waiting agent the first task goes to, if any
            .addString(to == null ? null : to.node())          // $18 its node
            .addUUID(to == null ? null : to.leaseToken())      // $19 its lease token
            .addInteger(to == null ? 0 : to.leaseSeconds()))   // $20 lease length
        .compose(rows -> {
          List<Task> inserted = new ArrayList<>(rows.size());
          Claim handed = null;
          for (Row r : rows) {
            Task task = task(r);
            inserted.add(task);
            if (task.state() == TaskState.RUNNING) {
              handed = new Claim(task, r.getString("lease_token"), r.getLong("fence"));
            }
          }
          // Ids come from the sequence in the order of the rows, so ascending ids follow the specs; a spec whose key
          // conflicted made no row and is matched to the live task holding its key.
          inserted.sort(Comparator.comparingLong(Task::id));
          List<Task> tasks = new ArrayList<>(n);
          List<Integer> duplicates = new ArrayList<>();
          Set<String> keysInserted = new HashSet<>();
          int next = 0;
          for (int i = 0; i < n; i++) {
            String k = specs.get(i).key();
            Task candidate = next < inserted.size() ? inserted.get(next) : null;
            boolean made = candidate != null && (k == null ? candidate.key() == null : k.equals(candidate.key()) && keysInserted.add(k));
            if (made) {
              tasks.add(candidate);
              next++;
            } else {
              tasks.add(null);
              duplicates.add(i);
            }
          }
          Claim claim = handed;
          return fillDuplicates(client, specs, tasks, duplicates).map(all -> new Inserted(all, claim));
        });
  }

  /**
   * Checks the predecessors exist and locks them against a concurrent ending until this registration commits: a
   * completion that commits first is seen by the settling below, and one that commits after waits, then settles the
   * dependent itself. Without the lock each transaction could miss the other's change and leave the dependent WAITING
   * for good.
   */
  private static Future<Void> lockPredecessors(SqlClient conn, List<TaskSpec> specs) {
    Set<Long> ids = new HashSet<>();
    specs.forEach(s -> ids.addAll(s.dependsOn()));
    return Sql.prepared(conn, "SELECT id FROM taskhub.task WHERE id = ANY($1) ORDER BY id FOR SHARE")
        .execute(Tuple.of(ids.toArray(new Long[0])))
        .compose(rows -> {
          rows.forEach(r -> ids.remove(r.getLong(0)));
          return ids.isEmpty() ? Future.succeededFuture()
              : Future.failedFuture(Failure.BAD_REQUEST.exception("'dependsOn' names unknown tasks: " + ids));
        });
  }

  private static Future<List<Task>> fillDuplicates(SqlClient client, List<TaskSpec> specs, List<Task> tasks, List<Integer> duplicates) {
    if (duplicates.isEmpty()) {
      return Future.succeededFuture(tasks);
    }
    String[] keys = duplicates.stream().map(i -> specs.get(i).key()).toArray(String[]::new);
    return Sql.prepared(client, "SELECT " + COLUMNS + " FROM taskhub.task WHERE key = ANY($1) AND state IN " + LIVE)
        .execute(Tuple.of(keys))
        .map(rows -> {
          Map<String, Task> byKey = new LinkedHashMap<>();
          rows.forEach(r -> byKey.put(r.getString("key"), task(r)));
          for (int i : duplicates) {
            Task live = byKey.get(specs.get(i).key());
            if (live == null) { // it ended between the insert and this read
              throw Failure.CONFLICT.exception("the task holding key '" + specs.get(i).key()
                  + "' ended while this registration ran: nothing was registered; try again");
            }
            tasks.set(i, live);
          }
          return tasks;
        });
  }

  private static Future<List<Task>> refresh(SqlClient conn, List<Task> tasks) {
    Long[] ids = tasks.stream().map(Task::id).toArray(Long[]::new);
    return Sql.prepared(conn, "SELECT " + COLUMNS + " FROM taskhub.task WHERE id = ANY($1)").execute(Tuple.of(ids))
        .map(rows -> {
          Map<Long, Task> byId = new LinkedHashMap<>();
          rows.forEach(r -> byId.put(r.getLong("id"), task(r)));
          return tasks.stream().map(t -> byId.get(t.id())).toList();
        });
  }
}
