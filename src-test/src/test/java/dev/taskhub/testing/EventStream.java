package dev.taskhub.testing;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A server-sent-events client for tests: each {@code data:} event as JSON, in the order received. */
public final class EventStream implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final int status;
  private final Stream<String> lines;
  private final Thread reader;

  private EventStream(HttpResponse<Stream<String>> response) {
    this.status = response.statusCode();
    this.lines = response.body();
    this.reader = new Thread(() -> {
      try {
        lines.forEach(line -> {
          if (line.startsWith("data:")) {
            events.add(new JsonObject(line.substring(5).trim()));
          }
        });
      } catch (RuntimeException closed) {
        // the stream was closed
      }
    }, "event-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public static EventStream open(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(request::header);
    return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
  }

  public int status() {
    return status;
  }

  /** The next event, or an AssertionError when none comes in time. */
  public JsonObject next(Duration within) throws InterruptedException {
    JsonObject event = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new AssertionError("no event within " + within);
    }
    return event;
  }

  /** Reads events until one matches; the ones before it are passed to {@code skipped}. */
  public JsonObject until(Predicate<JsonObject> wanted, Duration within, java.util.function.Consumer<JsonObject> skipped) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no matching event within " + within);
      }
      if (wanted.test(event)) {
        return event;
      }
      skipped.accept(event);
    }
  }

  @Override
  public void close() {
    lines.close();
  }
}
