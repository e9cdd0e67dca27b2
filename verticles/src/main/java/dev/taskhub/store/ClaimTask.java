package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.taskhub.store.TaskRows.task;

/**
 * Where a task is claimed: READY → RUNNING for one agent, with a fresh lease token and the next fence. Many agents'
 * claims share one statement: the hub gathers those that arrive while a claim is under way.
 */
public final class ClaimTask {
  /**
   * The candidates are the best of one index probe per type (the LATERAL join) rather than one ordered scan over all
   * READY rows filtered by type, which walked a whole backlog of other types on every claim. Median time from
   * registration to start with N READY tasks of a type no agent runs ({@code taskhub bench --backlog N}): ordered scan
   * 206 ms at 100,000 and 1.4 s at 1,000,000; probes 4.9 ms and 3.3 ms. A probe locks up to $5 rows per type for the
   * instant of this statement; other claimers skip those rows (SKIP LOCKED) and take the next. The k-th best candidate
   * goes to the k-th agent of the batch; the lease tokens come from here, so each agent's claim is told apart.
   *
   * <p>A type with a limit on its RUNNING tasks is not claimed here (the NOT EXISTS: a primary-key probe, evaluated
   * before the type's index probe) but by {@link ClaimWithinLimits}, which takes the type's lock and counts: the hub
   * sends such claims there, and this statement refuses the type even when the hub has not heard of the limit yet.
   */
  static final String CLAIM = "WITH wanted AS ("
      + "  SELECT agent, node, token, ord FROM unnest($1::text[], $2::text[], $3::uuid[]) WITH ORDINALITY AS w(agent, node, token, ord)), "
      + "candidates AS ("
      + "  SELECT id, row_number() OVER (ORDER BY priority, run_at, id) AS ord FROM ("
      + "    SELECT c.id, c.priority, c.run_at FROM unnest($4::text[]) AS wanted_type(type) CROSS JOIN LATERAL ("
      + "      SELECT id, priority, run_at FROM taskhub.task"
      + "      WHERE state = 'READY' AND type = wanted_type.type AND run_at <= now()"
      + "      AND NOT EXISTS (SELECT 1 FROM taskhub.type_setting s WHERE s.type = wanted_type.type"
      + "        AND (s.max_running IS NOT NULL OR s.max_running_per_node IS NOT NULL))"
      + "      ORDER BY priority, run_at, id LIMIT $5 FOR UPDATE SKIP LOCKED) c"
      + "    ORDER BY c.priority, c.run_at, c.id LIMIT $5) best) "
      + "UPDATE taskhub.task t SET state = 'RUNNING', attempts = t.attempts + 1, agent = w.agent, node = w.node, "
      + "  lease_token = w.token, lease_expires_at = now() + make_interval(secs => $6), started_at = now(), "
      + "  finished_at = NULL, progress = NULL, progress_message = NULL, progress_details = NULL, "
      + "  fence = nextval('taskhub.fence'), "
      + "  log = CASE WHEN t.attempts = 0 THEN t.log ELSE right(t.log || '--- attempt ' || (t.attempts + 1) || E' ---\\n', $7) END "
      + "FROM candidates c JOIN wanted w USING (ord) "
      + "WHERE t.id = c.id "
      + "RETURNING t.lease_token::text AS lease_token, t.fence, " + TaskRows.columnsOf("t");

  /** The claim's UPDATE, shared with {@link ClaimWithinLimits}: candidate k to agent k ($6 lease seconds, $7 log cap). */
  static final String TAKE = CLAIM.substring(CLAIM.indexOf("UPDATE taskhub.task t SET"));

  private final Pool pool;
  private final int maxLogChars;

  ClaimTask(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /** One agent's claim: its task, or null when none of its types has a READY task due. */
  public Future<Claim> claim(ClaimRequest request, int leaseSeconds) {
    return claim(List.of(request), leaseSeconds).map(claims -> claims.get(0));
  }

  /**
   * Hands up to one task to each agent of {@code requests}, which all ask for the same types, most urgent first.
   * The future holds a claim or null for each request, in their order.
   */
  public Future<List<Claim>> claim(List<ClaimRequest> requests, int leaseSeconds) {
    int n = requests.size();
    String[] agents = new String[n];
    String[] nodes = new String[n];
    UUID[] tokens = new UUID[n];
    Map<String, Integer> byToken = new HashMap<>();
    for (int i = 0; i < n; i++) {
      agents[i] = requests.get(i).agent();
      nodes[i] = requests.get(i).node();
      tokens[i] = UUID.randomUUID();
      byToken.put(tokens[i].toString(), i);
    }
    return Sql.prepared(pool, CLAIM)
        .execute(Tuple.tuple()
            .addArrayOfString(agents)                                       // $1 the agents, in turn
            .addArrayOfString(nodes)                                        // $2 their nodes
            .addArrayOfUUID(tokens)                                         // $3 a lease token for each
            .addArrayOfString(requests.get(0).types().toArray(new String[0])) // $4 the types they can run
            .addInteger(n)                                                  // $5 how many tasks at most
            .addInteger(leaseSeconds)                                       // $6 lease length
            .addInteger(maxLogChars))                                       // $7 log cap
        .map(rows -> {
          List<Claim> claims = new ArrayList<>(Collections.nCopies(n, null));
          for (Row r : rows) {
            String token = r.getString("lease_token");
            Task task = task(r);
            claims.set(byToken.get(token), new Claim(task, token, r.getLong("fence")));
          }
          return claims;
        });
  }
}
