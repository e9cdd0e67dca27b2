package dev.taskhub.agent;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many of a node's idle agents answer one announcement. A hub that registered n tasks says so ({@code "tasks": n}
 * and an {@code "id"}); the first n idle agents of each node that hear it claim, and the others sleep on. Before, one
 * task woke every idle agent of every node and all but one of their claims found nothing: a message each way and a
 * row in the claim statement per idle agent per task, in the way of the one claim that mattered (200 idle agents in 4
 * JVMs, {@code taskhub bench --dispatch}: HTTP to running 39.4 ms p50 before, 24.7 ms after). An announcement without a count — a delayed task fell due, a
 * lease expired, a hub started — still wakes them all.
 *
 * <p>Only idle agents take a share: an agent whose claim is under way asks again anyway once it is answered, and if
 * it took a share and its claim brought another task, the announced one would wait for an agent to finish. The count
 * is for all the announced types together: a node's agents share one executors folder, so they run the same types.
 * Shared by the agents of one node (one Vert.x instance, one node id), on their several event loops.
 */
final class AnnouncementShares implements Shareable {
  private static final String MAP = "taskhub.agent.announcementShares";
  /** Announcements remembered per node: enough for those still being delivered; an older one is over. */
  private static final int REMEMBERED = 256;

  private final Map<String, Integer> left = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** The shares of this node's agents. */
  static AnnouncementShares of(Vertx vertx, String nodeId) {
    return vertx.sharedData().<String, AnnouncementShares>getLocalMap(MAP).computeIfAbsent(nodeId, id -> new AnnouncementShares());
  }

  /** Whether an idle agent that heard this announcement claims: always when it has no count, else while the count lasts. */
  synchronized boolean take(JsonObject announcement) {
    Object tasks = announcement.getValue("tasks");
    if (!(tasks instanceof Number count) || !(announcement.getValue("id") instanceof String id)) {
      return true;
    }
    int n = left.getOrDefault(id, count.intValue());
    if (n <= 0) {
      return false;
    }
    left.put(id, n - 1);
    return true;
  }
}
