package dev.taskhub.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's server-sent events, beginning with a snapshot of what the events change. The owner listens first and
 * takes the snapshot second, so nothing slips between the two: events that arrive before the snapshot is written
 * wait here, and after it only those newer than it are replayed. A client too slow to read (its write queue full)
 * either misses optional events or is disconnected to start over from a fresh snapshot ({@link WhenSlow}). Used from
 * one event loop.
 */
public final class EventStream {
  /** The sequence of a snapshot that cannot be ordered against its events: every waiting event is replayed. */
  public static final long UNORDERED = Long.MIN_VALUE;
  private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

  /** What to do when a client's write queue is full. */
  public enum WhenSlow {
    /** Skip the optional events (a progress report: the next one says it all); write the others anyway. */
    SKIP_OPTIONAL,
    /** Disconnect it; it reconnects and starts again from a fresh snapshot, so it never shows a gap. */
    DISCONNECT
  }

  /**
   * One event, encoded once for every client that gets it.
   *
   * @param seq      orders it against a snapshot, or {@link #UNORDERED}
   * @param optional a slow client may miss it
   * @param last     the stream ends after it
   */
  public record Event(long seq, Buffer bytes, boolean optional, boolean last) {

    /** {@code event: <name>} (when named) and {@code data: <json>}. */
    public static Buffer frame(String name, String json) {
      Buffer frame = name == null ? Buffer.buffer() : Buffer.buffer("event: ").appendString(name).appendString("\n");
      return frame.appendString("data: ").appendString(json).appendString("\n\n");
    }
  }

  private final HttpServerResponse response;
  private final WhenSlow whenSlow;
  private final int maxWaiting;
  private final Runnable onClose;
  private List<Event> waiting = new ArrayList<>(); // until the snapshot is written
  private long snapshotSeq = UNORDERED;
  private boolean open;
  private boolean closed;

  /**
   * @param maxWaiting events that may wait for the snapshot; one more disconnects the client
   * @param onClose    runs once when the stream ends, whoever ends it
   */
  public EventStream(HttpServerResponse response, WhenSlow whenSlow, int maxWaiting, Runnable onClose) {
    this.response = response;
    this.whenSlow = whenSlow;
    this.maxWaiting = maxWaiting;
    this.onClose = onClose;
    response.closeHandler(v -> closed());
    response.exceptionHandler(e -> closed());
  }

  /** Sends the status and headers. Until then the owner may still answer the request otherwise (a 404, say). */
  public EventStream open() {
    if (!open && !closed) {
      response.setChunked(true).setStatusCode(200)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache, no-store")
          .putHeader("x-accel-buffering", "no"); // nginx: do not buffer the stream
      open = true;
    }
    return this;
  }

  /** Tells the client how soon to reconnect after a break (the field {@code retry:}). */
  public void retry(long millis) {
    if (isOpen()) {
      response.write("retry: " + millis + "\n\n");
    }
  }

  private boolean isOpen() {
    return open && !closed && !response.closed();
  }

  /** Writes the snapshot (opening the stream if need be), then the waiting events newer than it. */
  public void snapshot(Event snapshot) {
    if (closed || response.closed()) {
      closed();
      return;
    }
    open();
    snapshotSeq = snapshot.seq();
    List<Event> early = waiting;
    waiting = null;
    write(snapshot);
    early.forEach(this::send);
  }

  /** Delivers an event: it waits while the snapshot has not been written, and is dropped when the snapshot holds it. */
  public void send(Event event) {
    if (closed) {
      return;
    }
    if (waiting != null) {
      waiting.add(event);
      if (waiting.size() > maxWaiting) {
        drop();
      }
    } else if (snapshotSeq == UNORDERED || event.seq() > snapshotSeq) {
      if (!response.writeQueueFull()) {
        write(event);
      } else if (whenSlow == WhenSlow.DISCONNECT) {
        drop();
      } else if (!event.optional()) {
        write(event);
      }
    }
  }

  /** A comment line now and then keeps proxies and load balancers from closing an idle stream. */
  public void keepAlive() {
    if (isOpen()) {
      response.write(KEEP_ALIVE);
    }
  }

  /** Writes a last frame (an error, say) and ends the stream, whether or not its snapshot came. */
  public void endWith(Buffer frame) {
    if (!closed) {
      open();
      response.end(frame);
      closed();
    }
  }

  /** Ends the stream. One that was never opened is left for the owner to answer (a 404, say). */
  public void close() {
    if (isOpen()) {
      response.end();
    }
    closed();
  }

  private void write(Event event) {
    if (response.closed()) {
      closed();
      return;
    }
    response.write(event.bytes());
    if (event.last()) {
      close();
    }
  }

  /** Cuts the connection: the client notices at once and reconnects. */
  private void drop() {
    closed();
    response.reset();
  }

  private void closed() {
    if (!closed) {
      closed = true;
      waiting = null;
      onClose.run();
    }
  }
}
