package dev.taskhub.monitor;

import dev.taskhub.api.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The schedules the monitor shows, with their next runs, asked of the hub like everything else
 * ({@link Addresses#SCHEDULE_LIST}). Only while a page watches: when a hub says a schedule changed or fired
 * ({@link Addresses#SCHEDULES_CHANGED}) — at most once a second, however many fire — and every
 * {@value #REFRESH_MS} ms in case such news was lost.
 */
final class SchedulePanel {
  private static final Logger log = LoggerFactory.getLogger(SchedulePanel.class);
  private static final long CHECK_MS = 1_000;
  private static final long REFRESH_MS = 30_000;
  private static final DeliveryOptions HUB = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  private final BooleanSupplier watched;
  private JsonArray schedules = new JsonArray();
  private boolean stale = true;
  private boolean changed;
  private boolean asking;
  private long askedAt;

  SchedulePanel(Vertx vertx, BooleanSupplier watched) {
    this.vertx = vertx;
    this.watched = watched;
    vertx.eventBus().consumer(Addresses.SCHEDULES_CHANGED, msg -> stale = true);
    vertx.setPeriodic(CHECK_MS, id -> refresh());
  }

  /** A page opened: ask now rather than at the next check. */
  void pageOpened() {
    stale = true;
    refresh();
  }

  JsonArray all() {
    return schedules;
  }

  /** The whole list when it changed since the last call, else null. */
  JsonArray drainChange() {
    if (!changed) {
      return null;
    }
    changed = false;
    return schedules;
  }

  private void refresh() {
    long now = System.currentTimeMillis();
    if (asking || !watched.getAsBoolean() || !(stale || now - askedAt > REFRESH_MS)) {
      return;
    }
    asking = true;
    stale = false;
    askedAt = now;
    vertx.eventBus().<JsonObject>request(Addresses.SCHEDULE_LIST, new JsonObject(), HUB)
        .onSuccess(reply -> {
          JsonArray fresh = reply.body().getJsonArray("schedules");
          if (!fresh.equals(schedules)) {
            schedules = fresh;
            changed = true;
          }
        })
        .onFailure(e -> log.debug("schedules not available: {}", e.getMessage()))
        .onComplete(x -> asking = false);
  }
}
