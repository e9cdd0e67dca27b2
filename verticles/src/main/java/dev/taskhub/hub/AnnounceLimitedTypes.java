package dev.taskhub.hub;

import dev.taskhub.api.Task;
import dev.taskhub.store.ReadTypeSettings;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Announces a type with a limit only when a task of it could start: the type has room under its limits and a task is
 * due, as the database says. An announcement wakes every idle agent of the type; at the limit all of them would ask
 * and be told no, for every task registered or falling due — a storm of claims that start nothing. Asking the database
 * first costs one query per type however many announcements arrive while it runs, and only limited types pay it.
 * {@code TypeLimitTest} (40 tasks registered one by one at a limit of 2, 8 agents on two nodes) counts the claims
 * answered with nothing: 267 when every registration is announced; 62 when a hub's own counts decide (they lag behind
 * the other hub's claims by up to their sharing period, which at a busy limit is most of the time); 45 asking the
 * database; 15 once a task that ended a moment ago keeps its slot for its agent ({@link #RESERVED_MS}).
 *
 * <p>A slot that frees needs nobody woken, usually: the agent whose task ended asks for its next one at once and takes
 * it. But it may take a task of another type, or stop; and a task cancelled, released or lost frees a slot with no agent
 * coming back. So {@value #FREED_DELAY_MS} ms after a slot freed, the same question is asked for the nodes where it
 * freed. Used from the hub's event loop.
 */
final class AnnounceLimitedTypes {
  private static final Logger log = LoggerFactory.getLogger(AnnounceLimitedTypes.class);
  /** Far longer than an agent takes to report its end and ask again; short beside a task's wait. */
  static final long FREED_DELAY_MS = 500;
  /**
   * How long a task that ended keeps its slot for its agent, whose next claim is on its way, when deciding to announce;
   * shorter than {@link #FREED_DELAY_MS}, so the check after a slot freed no longer counts that slot's own task.
   */
  static final long RESERVED_MS = 300;

  private final Vertx vertx;
  private final ReadTypeSettings reads;
  private final Consumer<List<String>> announce;
  private final Function<String, List<String>> executorNodes;
  /** Types with a check to come now: whether any node has room. */
  private final Set<String> asked = new HashSet<>();
  /** Types with a check to come after a slot freed: the nodes where it freed ("" for one not known). */
  private final Map<String, Set<String>> freed = new HashMap<>();

  /** {@code executorNodes}: the nodes with an executor for a type, as their heartbeats say (none known: any node). */
  AnnounceLimitedTypes(Vertx vertx, ReadTypeSettings reads, Function<String, List<String>> executorNodes,
                       Consumer<List<String>> announce) {
    this.vertx = vertx;
    this.reads = reads;
    this.executorNodes = executorNodes;
    this.announce = announce;
  }

  /**
   * Tasks of this limited type may be claimable (registered, due, released): announce it if one can start on a node
   * that has an executor for it. A slot whose task ended a moment ago is left to the agent that ran it.
   */
  void announceIfRoom(String type) {
    if (asked.add(type)) {
      vertx.runOnContext(x -> {
        asked.remove(type);
        check(type, executorNodes.apply(type), RESERVED_MS);
      });
    }
  }

  /** A task of this limited type left RUNNING: if its slot is still free in a moment, announce the type. */
  void left(Task task) {
    Set<String> nodes = freed.get(task.type());
    if (nodes == null) {
      nodes = new HashSet<>();
      freed.put(task.type(), nodes);
      vertx.setTimer(FREED_DELAY_MS, id -> {
        Set<String> where = freed.remove(task.type());
        // none known: any node may have room. Other tasks that ended a moment ago keep their slots for their agents.
        check(task.type(), where.contains("") ? List.of() : new ArrayList<>(where), RESERVED_MS);
      });
    }
    nodes.add(task.node() == null ? "" : task.node());
  }

  private void check(String type, List<String> nodes, long reservedMillis) {
    reads.roomOn(type, nodes, reservedMillis)
        .onSuccess(room -> {
          if (room) {
            announce.accept(List.of(type));
          }
        })
        .onFailure(e -> log.debug("could not check whether type {} has room: {}", type, e.getMessage()));
  }
}
