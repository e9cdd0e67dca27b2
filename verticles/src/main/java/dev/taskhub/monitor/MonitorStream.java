package dev.taskhub.monitor;

import dev.taskhub.api.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /monitor/stream}: the monitor's updates as server-sent events, outbound only — a page can send nothing
 * back on it, and no browser message ever reaches the event bus. Each page gets the monitor's snapshot first, then
 * every coalesced update, encoded once for all pages. A page too slow to keep up is disconnected; it reconnects and
 * starts again from a fresh snapshot, so it never shows a gap. Runs on the HTTP verticle's context.
 */
final class MonitorStream {
  private static final long WATCHING_MS = 1_000;
  private static final long KEEPALIVE_MS = 15_000;
  private static final int MAX_QUEUED_BYTES = 8 * 1024 * 1024;
  private static final int MAX_EARLY_UPDATES = 64;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);
  private static final Buffer KEEPALIVE = Buffer.buffer(": keepalive\n\n");

  private final Vertx vertx;
  private final MonitorAccess access;
  private final Set<Page> pages = new LinkedHashSet<>();

  /** One open page: updates that arrive before its snapshot wait, and those the snapshot already holds are skipped. */
  private static final class Page {
    final HttpServerResponse response;
    long snapshotSeq = -1;
    List<Frame> early = new ArrayList<>(); // until the snapshot is written

    Page(HttpServerResponse response) {
      this.response = response;
    }
  }

  private record Frame(long seq, Buffer bytes) {
  }

  MonitorStream(Vertx vertx, MonitorAccess access) {
    this.vertx = vertx;
    this.access = access;
    vertx.eventBus().<JsonObject>localConsumer(Addresses.MONITOR_UPDATES, msg -> broadcast(msg.body()));
    vertx.setPeriodic(WATCHING_MS, id -> {
      if (!pages.isEmpty()) {
        vertx.eventBus().send(Addresses.MONITOR_WATCHING, new JsonObject(), LOCAL);
      }
    });
    vertx.setPeriodic(KEEPALIVE_MS, id -> pages.forEach(p -> p.response.write(KEEPALIVE)));
  }

  void open(RoutingContext ctx) {
    if (!access.mayWatch(ctx.request())) {
      ctx.response().setStatusCode(401).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "this node requires an API token: send Authorization: Bearer <token>").encode());
      return;
    }
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache, no-store")
        .putHeader("x-accel-buffering", "no")
        .setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    Page page = new Page(response);
    pages.add(page);
    response.closeHandler(x -> pages.remove(page));
    response.write("retry: 1000\n\n");
    vertx.eventBus().<JsonObject>request(Addresses.MONITOR_SNAPSHOT, new JsonObject(), LOCAL)
        .onSuccess(reply -> begin(page, reply.body()))
        .onFailure(e -> {
          pages.remove(page);
          response.end(frame(new JsonObject().put("kind", "error").put("error", "the monitor is not running on this node: " + e.getMessage())));
        });
  }

  private void begin(Page page, JsonObject snapshot) {
    if (!pages.contains(page)) {
      return; // closed meanwhile
    }
    page.snapshotSeq = snapshot.getLong("seq");
    page.response.write(frame(snapshot));
    for (Frame update : page.early) {
      if (update.seq() > page.snapshotSeq) {
        page.response.write(update.bytes());
      }
    }
    page.early = null;
  }

  private void broadcast(JsonObject update) {
    if (pages.isEmpty()) {
      return;
    }
    Frame frame = new Frame(update.getLong("seq"), frame(update));
    for (Page page : List.copyOf(pages)) {
      if (page.early != null) {
        page.early.add(frame);
        if (page.early.size() > MAX_EARLY_UPDATES) {
          drop(page);
        }
      } else if (page.response.writeQueueFull()) {
        drop(page); // too slow: it reconnects and starts over from a snapshot
      } else if (frame.seq() > page.snapshotSeq) {
        page.response.write(frame.bytes());
      }
    }
  }

  private void drop(Page page) {
    pages.remove(page);
    page.response.reset();
  }

  private static Buffer frame(JsonObject message) {
    return Buffer.buffer("data: ").appendString(message.encode()).appendString("\n\n");
  }
}
