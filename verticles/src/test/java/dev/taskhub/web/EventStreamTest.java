package dev.taskhub.web;

import dev.taskhub.web.EventStream.Event;
import dev.taskhub.web.EventStream.WhenSlow;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client of an event stream reads, whatever the order in which the snapshot and the events come. */
@Timeout(30)
class EventStreamTest {
  Vertx vertx;
  HttpServer server;
  Handler<HttpServerResponse> serve;
  final AtomicInteger closed = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> serve.handle(request.response())).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Event event(long seq, String text, boolean last) {
    return new Event(seq, Event.frame(null, text), false, last);
  }

  private List<String> read() throws Exception {
    HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/")).build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    return response.body().filter(line -> !line.isEmpty()).toList();
  }

  @Test
  void eventsThatCameBeforeTheSnapshotFollowItWhenTheyAreNewerAndTheLastEndsTheStream() throws Exception {
    serve = response -> {
      EventStream stream = new EventStream(response, WhenSlow.DISCONNECT, 10, closed::incrementAndGet);
      stream.open().retry(1000);
      stream.send(event(1, "one", false));
      stream.send(event(2, "two", false));
      stream.send(event(3, "three", false));
      stream.snapshot(event(2, "snapshot", false));
      stream.send(event(2, "two again", false));
      stream.send(event(4, "four", true));
      stream.send(event(5, "after the end", false));
    };

    assertThat(read()).containsExactly("retry: 1000", "data: snapshot", "data: three", "data: four");
    assertThat(closed).hasValue(1);
  }

  @Test
  void anUnorderedSnapshotIsFollowedByEveryEventThatWaitedAndANamedEventSaysItsName() throws Exception {
    serve = response -> {
      EventStream stream = new EventStream(response, WhenSlow.SKIP_OPTIONAL, Integer.MAX_VALUE, closed::incrementAndGet);
      stream.send(new Event(EventStream.UNORDERED, Event.frame("progress", "{}"), true, false));
      stream.snapshot(new Event(EventStream.UNORDERED, Event.frame("state", "{\"state\":\"RUNNING\"}"), false, false));
      stream.send(new Event(EventStream.UNORDERED, Event.frame("state", "{\"state\":\"DONE\"}"), false, true));
    };

    assertThat(read()).containsExactly("event: state", "data: {\"state\":\"RUNNING\"}", "event: progress", "data: {}",
        "event: state", "data: {\"state\":\"DONE\"}");
  }

  @Test
  void aClientThatFallsTooFarBehindBeforeItsSnapshotIsDisconnected() throws Exception {
    serve = response -> {
      EventStream stream = new EventStream(response, WhenSlow.DISCONNECT, 1, closed::incrementAndGet);
      stream.open();
      stream.send(event(1, "one", false));
      stream.send(event(2, "two", false));
      stream.snapshot(event(0, "too late", false));
    };

    try {
      assertThat(read()).doesNotContain("data: too late");
    } catch (java.io.IOException cut) {
      // the connection was reset: that is the point
    }
    assertThat(closed).hasValue(1);
  }
}
