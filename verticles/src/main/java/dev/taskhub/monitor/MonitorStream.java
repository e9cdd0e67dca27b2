package dev.taskhub.monitor;

import dev.taskhub.api.Addresses;
import dev.taskhub.web.EventStream;
import dev.taskhub.web.EventStream.Event;
import dev.taskhub.web.EventStream.WhenSlow;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /monitor/stream}: the monitor's updates as server-sent events, outbound only — a page can send nothing
 * back on it, and no browser message ever reaches the event bus. Each page gets the monitor's snapshot first, then
 * every coalesced update newer than it, encoded once for all pages. A page too slow to keep up is disconnected; it
 * reconnects and starts again from a fresh snapshot, so it never shows a gap. Runs on the HTTP verticle's context.
 */
final class MonitorStream {
  private static final long WATCHING_MS = 1_000;
  private static final long KEEPALIVE_MS = 15_000;
  private static final int MAX_QUEUED_BYTES = 8 * 1024 * 1024;
  private static final int MAX_EARLY_UPDATES = 64;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  private final Vertx vertx;
  private final Set<EventStream> pages = new LinkedHashSet<>();

  MonitorStream(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>localConsumer(Addresses.MONITOR_UPDATES, msg -> broadcast(msg.body()));
    vertx.setPeriodic(WATCHING_MS, id -> {
      if (!pages.isEmpty()) {
        vertx.eventBus().send(Addresses.MONITOR_WATCHING, new JsonObject(), LOCAL);
      }
    });
    vertx.setPeriodic(KEEPALIVE_MS, id -> List.copyOf(pages).forEach(EventStream::keepAlive));
  }

  /** Opens a page's stream; the route has checked its token. */
  void open(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    EventStream[] page = new EventStream[1];
    page[0] = new EventStream(response, WhenSlow.DISCONNECT, MAX_EARLY_UPDATES, () -> pages.remove(page[0]));
    pages.add(page[0]);
    page[0].open().retry(1000);
    vertx.eventBus().<JsonObject>request(Addresses.MONITOR_SNAPSHOT, new JsonObject(), LOCAL)
        .onSuccess(reply -> page[0].snapshot(event(reply.body())))
        .onFailure(e -> page[0].endWith(Event.frame(null, new JsonObject().put("kind", "error")
            .put("error", "the monitor is not running on this node: " + e.getMessage()).encode())));
  }

  private void broadcast(JsonObject update) {
    if (!pages.isEmpty()) {
      Event event = event(update);
      List.copyOf(pages).forEach(page -> page.send(event));
    }
  }

  /** The snapshot and the updates carry the monitor's sequence number: a page skips what its snapshot holds. */
  private static Event event(JsonObject message) {
    return new Event(message.getLong("seq"), Event.frame(null, message.encode()), false, false);
  }
}
