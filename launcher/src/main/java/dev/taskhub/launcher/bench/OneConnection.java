package dev.taskhub.launcher.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection, written and read on the calling thread: the latency probe's client. The JDK's
 * HttpClient hands every request to its selector thread and the answer back through an executor; on an idle machine
 * those wake-ups alone cost milliseconds, which a user with curl, Python or a browser does not pay and the probe must
 * not charge to Taskhub. Plain HTTP only; enough for POST /api/tasks and its JSON answer.
 */
final class OneConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String host;

  OneConnection(String base) throws IOException {
    URI uri = URI.create(base);
    if (!"http".equals(uri.getScheme())) {
      throw new IOException("the latency probe speaks plain HTTP only, not " + base);
    }
    host = uri.getHost() + ":" + uri.getPort();
    socket = new Socket(uri.getHost(), uri.getPort());
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** The request, ready to send: bytes, so that the clock can be read just before they go. */
  byte[] post(String path, JsonObject body) {
    byte[] json = body.encode().getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
        + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + json.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(json, 0, request, head.length, json.length);
    return request;
  }

  /** Sends a request made by {@link #post} and reads its answer; the JSON body, or an exception for anything but 2xx. */
  JsonObject send(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    String status = line();
    int length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length in the answer (" + status + ")");
    }
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    if (!status.matches("HTTP/1\\.1 2\\d\\d .*")) {
      throw new IOException("POST answered " + status + ": " + body);
    }
    return new JsonObject(body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed mid-answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
