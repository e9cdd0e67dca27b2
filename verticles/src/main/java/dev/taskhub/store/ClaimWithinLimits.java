package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.taskhub.store.TaskRows.task;

/**
 * Where tasks of a type with a limit ({@code maxRunning}, {@code maxRunningPerNode}) are claimed, never one more than
 * the limit, however many hubs claim at once. In one transaction: the wanted types' settings rows are locked FOR
 * UPDATE, so claimers of a limited type take turns on every hub; then one claim statement per node of the batch counts
 * the type's RUNNING tasks and takes at most the room left. The count must come from a statement that begins once the
 * lock is held: a statement sees what was committed when it began, so a lock taken inside the claim statement itself
 * would count without the claims committed while it waited for that lock.
 *
 * <p>Only limited types pay for this: BEGIN, the lock, one claim per node, COMMIT, where {@link ClaimTask} sends one
 * statement. Only a claim raises a type's RUNNING count, and every claim of a limited type holds the lock, so a count
 * taken under the lock is exact or high (a task ending meanwhile only leaves more room).
 */
public final class ClaimWithinLimits {
  /** Every wanted type that has a settings row, locked in one order so that two claimers never wait on each other. */
  private static final String LOCK = "SELECT type FROM taskhub.type_setting WHERE type = ANY($1) ORDER BY type FOR UPDATE";

  /**
   * {@link ClaimTask}'s claim with a room per type: the probe of a type takes at most as many rows as the type has room
   * for ({@code room.n}), cluster-wide and on this batch's node ($8). A type whose row appeared after the lock was taken
   * ($9: the rows locked) may be limited now: it gets no room until the next claim.
   */
  static final String CLAIM = "WITH wanted AS ("
      + "  SELECT agent, node, token, ord FROM unnest($1::text[], $2::text[], $3::uuid[]) WITH ORDINALITY AS w(agent, node, token, ord)), "
      + "room AS ("
      + "  SELECT u.type, CASE"
      + "    WHEN s.max_running IS NULL AND s.max_running_per_node IS NULL THEN $5::int"
      + "    WHEN NOT u.type = ANY($9::text[]) THEN 0"
      + "    ELSE greatest(0, least($5::int,"
      + "      CASE WHEN s.max_running IS NULL THEN $5::int ELSE s.max_running - (SELECT count(*) FROM taskhub.task r"
      + "        WHERE r.state = 'RUNNING' AND r.type = u.type) END,"
      + "      CASE WHEN s.max_running_per_node IS NULL THEN $5::int ELSE s.max_running_per_node - (SELECT count(*)"
      + "        FROM taskhub.task r WHERE r.state = 'RUNNING' AND r.type = u.type AND r.node = $8::text) END)) END AS n"
      + "  FROM unnest($4::text[]) AS u(type) LEFT JOIN taskhub.type_setting s ON s.type = u.type), "
      + "candidates AS ("
      + "  SELECT id, row_number() OVER (ORDER BY priority, run_at, id) AS ord FROM ("
      + "    SELECT c.id, c.priority, c.run_at FROM room CROSS JOIN LATERAL ("
      + "      SELECT id, priority, run_at FROM taskhub.task"
      + "      WHERE state = 'READY' AND type = room.type AND run_at <= now()"
      + "      ORDER BY priority, run_at, id LIMIT room.n FOR UPDATE SKIP LOCKED) c"
      + "    ORDER BY c.priority, c.run_at, c.id LIMIT $5::int) best) "
      + ClaimTask.TAKE;

  private final Pool pool;
  private final int maxLogChars;

  ClaimWithinLimits(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /**
   * Hands up to one task to each agent of {@code requests}, which all ask for the same types, most urgent first, within
   * the types' limits. The future holds a claim or null for each request, in their order.
   */
  public Future<List<Claim>> claim(List<ClaimRequest> requests, int leaseSeconds) {
    String[] types = requests.get(0).types().toArray(new String[0]);
    Map<String, List<Integer>> byNode = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      byNode.computeIfAbsent(requests.get(i).node(), n -> new ArrayList<>()).add(i);
    }
    List<Claim> claims = new ArrayList<>(Collections.nCopies(requests.size(), null));
    return pool.withTransaction(conn -> Sql.prepared(conn, LOCK).execute(Tuple.of(types))
        .compose(rows -> {
          List<String> locked = new ArrayList<>();
          rows.forEach(r -> locked.add(r.getString(0)));
          Future<Void> chain = Future.succeededFuture();
          for (Map.Entry<String, List<Integer>> node : byNode.entrySet()) {
            chain = chain.compose(x -> claimOnNode(conn, node.getKey(), node.getValue(), requests, types, locked, leaseSeconds, claims));
          }
          return chain;
        })
        .map(x -> claims));
  }

  /** The node's agents' claims (by index into {@code requests}); their claims are set into {@code claims}. */
  private Future<Void> claimOnNode(SqlConnection conn, String node, List<Integer> agents, List<ClaimRequest> requests,
                                   String[] types, List<String> locked, int leaseSeconds, List<Claim> claims) {
    int n = agents.size();
    String[] agentIds = new String[n];
    String[] nodes = new String[n];
    UUID[] tokens = new UUID[n];
    Map<String, Integer> byToken = new HashMap<>();
    for (int k = 0; k < n; k++) {
      agentIds[k] = requests.get(agents.get(k)).agent();
      nodes[k] = node;
      tokens[k] = UUID.randomUUID();
      byToken.put(tokens[k].toString(), agents.get(k));
    }
    return Sql.prepared(conn, CLAIM)
        .execute(Tuple.tuple()
            .addArrayOfString(agentIds)                        // $1 the node's agents, in turn
            .addArrayOfString(nodes)                           // $2 their node, for each
            .addArrayOfUUID(tokens)                            // $3 a lease token for each
            .addArrayOfString(types)                           // $4 the types they can run
            .addInteger(n)                                     // $5 how many tasks at most
            .addInteger(leaseSeconds)                          // $6 lease length
            .addInteger(maxLogChars)                           // $7 log cap
            .addString(node)                                   // $8 the node, for maxRunningPerNode
            .addArrayOfString(locked.toArray(new String[0])))  // $9 the types whose settings this transaction locked
        .map(rows -> {
          for (Row r : rows) {
            String token = r.getString("lease_token");
            claims.set(byToken.get(token), new Claim(task(r), token, r.getLong("fence")));
          }
          return null;
        });
  }
}
