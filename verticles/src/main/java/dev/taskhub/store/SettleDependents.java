package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.taskhub.store.TaskRows.LIVE;

/**
 * Releases the tasks that waited on others. It runs inside the transaction of whatever ended (or registered) a task:
 * a completion, a cancellation, a deletion, a registration whose predecessors may have ended already.
 */
final class SettleDependents {

  private SettleDependents() {
  }

  /**
   * Settles WAITING tasks that depend on any of {@code ids} (or are among them): once all their predecessors
   * ended they become READY, or CANCELLED when one did not end DONE and they run only on success. A cancellation
   * cascades to its own dependents. The future holds the types that became READY, for the availability broadcast.
   */
  static Future<List<String>> settle(SqlClient conn, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Sql.prepared(conn, "WITH settled AS ("
            + "  SELECT t.id, (t.run_if = 'always' OR NOT EXISTS ("
            + "      SELECT 1 FROM taskhub.task p WHERE p.id = ANY(t.depends_on) AND p.state <> 'DONE')) AS runs"
            + "  FROM taskhub.task t"
            + "  WHERE t.state = 'WAITING' AND (t.depends_on && $1 OR t.id = ANY($1))"
            + "    AND NOT EXISTS (SELECT 1 FROM taskhub.task p WHERE p.id = ANY(t.depends_on) AND p.state IN " + LIVE + ")"
            + "  FOR UPDATE OF t) "
            + "UPDATE taskhub.task t SET run_at = now(), "
            + "  state = CASE WHEN s.runs THEN 'READY' ELSE 'CANCELLED' END, "
            + "  finished_at = CASE WHEN s.runs THEN NULL ELSE now() END, "
            + "  error = CASE WHEN s.runs THEN NULL "
            + "    ELSE jsonb_build_object('type', 'DependencyFailed', 'message', 'a task it depends on did not end DONE') END "
            + "FROM settled s WHERE t.id = s.id AND t.state = 'WAITING' "
            + "RETURNING t.id, t.state, t.type")
        .execute(Tuple.of(ids.toArray(new Long[0])))
        .compose(rows -> {
          List<Long> cancelled = new ArrayList<>();
          Set<String> ready = new HashSet<>();
          rows.forEach(r -> {
            if ("CANCELLED".equals(r.getString("state"))) {
              cancelled.add(r.getLong("id"));
            } else {
              ready.add(r.getString("type"));
            }
          });
          return settle(conn, cancelled).map(more -> {
            ready.addAll(more);
            return List.copyOf(ready);
          });
        });
  }
}
